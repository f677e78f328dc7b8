"""Doc → claims: which sentences are claims (spec §1) and what each claim record holds.

A sentence is a claim when it lies in the body (not title, byline or furniture, see
structure.py), is not a question, and reads as a statement: it ends in sentence
punctuation or has a finite verb (a short unpunctuated verbless line is a heading).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc, Span

from belnlp.ingest.structure import Structure
from belnlp.nlp.components.claim_tagger import Evidence
from belnlp.nlp.extract.modality import clause_modality
from belnlp.nlp.extract.relations import Argument, Relation, relations
from belnlp.records import Claim

QUESTION_ENDINGS = ("?", "?”", '?"', "?’", "?'", "?)")
FINITE_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})
SENTENCE_END = (".", "!", "…", ".”", '."', ".’", ")", ":")
BULLETS = frozenset({"-", "•", "*", "–", "—", "·", "▪"})
CATEGORY_THRESHOLD = 1.0


def claim_sentences(doc: Doc, structure: Structure, offset: int = 0) -> Iterator[Span]:
    """The claim sentences of `doc`, trimmed; `offset` shifts them into the article."""
    for sent in doc.sents:
        span = _trim(sent)
        if span is None:
            continue
        if structure.in_body(span.start_char + offset, span.end_char + offset) and is_statement(
            span
        ):
            yield span


def is_statement(span: Span) -> bool:
    """Not a question, has words, and is punctuated as a sentence or has a finite verb."""
    text = span.text
    if text.endswith(QUESTION_ENDINGS) or not any(token.is_alpha for token in span):
        return False
    return text.endswith(SENTENCE_END) or any(token.tag_ in FINITE_TAGS for token in span)


def _trim(sent: Span) -> Span | None:
    """The sentence without surrounding whitespace or a leading list bullet."""
    start, end = sent.start, sent.end
    doc = sent.doc
    while start < end and (doc[start].is_space or doc[start].text in BULLETS):
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end] if start < end else None


def build_claims(
    doc: Doc,
    *,
    doc_id: str,
    source: str,
    title: str | None,
    structure: Structure,
    provenance: dict[str, str],
    offset: int = 0,
) -> Iterator[Claim]:
    """Claim objects for one Doc (or one chunk of a long article, at `offset`).

    doc.text and doc.ents are rebuilt by spaCy on every access, so both are read once here.
    Evidence is re-wrapped because a Doc from another process carries it as plain lists.
    """
    evidence = [Evidence(*item) for item in doc._.belnlp_evidence or []]
    starts = [item.start for item in evidence]
    text = doc.text
    ents = doc.ents
    ent_starts = [ent.start for ent in ents]
    for sent in claim_sentences(doc, structure, offset):
        found = _evidence_in(sent, evidence, starts)
        categories, kept = decide_categories(found)
        start, end = sent.start_char + offset, sent.end_char + offset
        sent_ents = _ents_in(sent, ents, ent_starts)
        yield Claim(
            claim_id=f"{doc_id}:{start}-{end}",
            doc_id=doc_id,
            source=source,
            title=title,
            text=sent.text,
            start=start,
            end=end,
            categories=categories,
            evidence=[_evidence_record(item, text, offset) for item in kept],
            entities=[_entity_record(ent, offset) for ent in sent_ents],
            relations=[relation_record(rel, offset) for rel in relations(sent, sent_ents)],
            modality=clause_modality(sent.root),
            provenance=provenance,
        )


def _evidence_in(sent: Span, evidence: list[Evidence], starts: list[int]) -> list[Evidence]:
    index = bisect_left(starts, sent.start_char)
    found = []
    while index < len(evidence) and evidence[index].start < sent.end_char:
        if evidence[index].end <= sent.end_char:
            found.append(evidence[index])
        index += 1
    return found


def decide_categories(evidence: list[Evidence]) -> tuple[list[str], list[Evidence]]:
    """Categories whose evidence weighs enough, and the evidence that supports them."""
    weight: dict[str, float] = defaultdict(float)
    for item in evidence:
        weight[item.category] += item.weight
    categories = sorted(c for c, total in weight.items() if total >= CATEGORY_THRESHOLD)
    chosen = set(categories)
    return categories, [item for item in evidence if item.category in chosen]


def _ents_in(sent: Span, ents: tuple[Span, ...], starts: list[int]) -> list[Span]:
    """sent.ents without rebuilding every entity of the Doc for each sentence."""
    index = bisect_left(starts, sent.start)
    found = []
    while index < len(ents) and ents[index].end <= sent.end:
        found.append(ents[index])
        index += 1
    return found


def _evidence_record(item: Evidence, text: str, offset: int) -> dict[str, Any]:
    return {
        "category": item.category,
        "rule": item.rule,
        "match": text[item.start:item.end],
        "start": item.start + offset,
        "end": item.end + offset,
    }


def _entity_record(ent: Span, offset: int) -> dict[str, Any]:
    return {
        "text": ent.text,
        "label": ent.label_,
        "start": ent.start_char + offset,
        "end": ent.end_char + offset,
        "actor": ent._.actor if Span.has_extension("actor") else None,
    }


def _argument_record(arg: Argument, offset: int) -> dict[str, Any]:
    record = {"text": arg.text, "start": arg.start + offset, "end": arg.end + offset,
              "actor": arg.actor}
    if arg.role is not None:
        record["role"] = arg.role
    return record


def relation_record(rel: Relation, offset: int = 0) -> dict[str, Any]:
    """Spec §4 relation shape plus the optional arguments, context and confidence."""
    record: dict[str, Any] = {
        "subject": _argument_record(rel.subject, offset),
        "predicate": _argument_record(rel.predicate, offset),
        "object": _argument_record(rel.object, offset) if rel.object is not None else None,
        "negated": rel.negated,
        "modality": rel.modality,
        "confidence": round(rel.confidence, 4),
    }
    if rel.arguments:
        record["arguments"] = [_argument_record(arg, offset) for arg in rel.arguments]
    if rel.context is not None:
        record["context"] = _argument_record(rel.context, offset)
    return record
