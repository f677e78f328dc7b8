"""Doc → claims: which sentences are claims (spec §1) and what each claim record holds.

A sentence is a claim when it lies in the body (not title, byline or furniture, see
structure.py), is not a question, and reads as a statement: it ends in sentence
punctuation or has a finite verb (a short unpunctuated verbless line is a heading).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span

from belnlp.ingest.structure import Structure
from belnlp.nlp.components.claim_tagger import Evidence
from belnlp.nlp.extract.attribution import attributions
from belnlp.nlp.extract.events import default_coder
from belnlp.nlp.extract.meta import is_meta
from belnlp.nlp.extract.modality import clause_modality
from belnlp.nlp.extract.references import (
    CONTEXT_CATEGORIES,
    context_evidence,
    reference_records,
    resolve,
    take_actors,
)
from belnlp.nlp.extract.relations import Argument, Relation, read_doc, relations
from belnlp.nlp.extract.time import (
    Anchor,
    anchor_record,
    article_date,
    date_fields,
    normalise_date,
    time_frame,
)
from belnlp.records import Claim

QUESTION_ENDINGS = ("?", "?”", '?"', "?’", "?'", "?)")
FINITE_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})
SENTENCE_END = (".", "!", "…", ".”", '."', ".’", ")", ":")
BULLETS = frozenset({"-", "•", "*", "–", "—", "·", "▪"})
CATEGORY_THRESHOLD = 1.0


def claim_sentences(doc: Doc, text: str, structure: Structure, offset: int = 0
                    ) -> Iterator[Span]:
    """The claim sentences of `doc` (whose text is `text`), trimmed; `offset` shifts them
    into the article.

    A body sentence about the document itself is recorded as furniture of kind "meta"."""
    for sent in doc.sents:
        span = _trim(sent)
        if span is None:
            continue
        start, end = span.start_char + offset, span.end_char + offset
        span_text = text[span.start_char:span.end_char]
        if structure.in_body(start, end) and is_statement(span, span_text):
            if is_meta(span, text=span_text):
                structure.furniture.append((start, end, "meta"))
            else:
                yield span


def is_statement(span: Span, text: str | None = None) -> bool:
    """Not a question, has words, and is punctuated as a sentence or has a finite verb.

    `text` is span.text when the caller has it (spaCy joins it from the tokens)."""
    text = span.text if text is None else text
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
    references = resolve(doc, evidence, context_categories=CONTEXT_CATEGORIES)
    anchors = [Anchor(*item) for item in doc._.belnlp_anchors or []]
    anchor_starts = [anchor.start for anchor in anchors]
    article_day = article_date(doc)
    dates = {(a.start, a.end): a for a in anchors if a.kind == "date"}
    coder = default_coder()
    sentences = list(claim_sentences(doc, text, structure, offset))
    attributed = attributions(doc, text, sentences, ents, references)
    reading = read_doc(doc)
    for sent, attribution in zip(sentences, attributed, strict=True):
        found = _evidence_in(sent, evidence, starts)
        categories, kept = decide_categories(found)
        start, end = sent.start_char + offset, sent.end_char + offset
        sent_ents = _ents_in(sent, ents, ent_starts)
        refs = references.within(sent.start_char, sent.end_char)
        from_context = context_evidence(refs, categories, text, offset)
        in_sent = _evidence_in(sent, anchors, anchor_starts)
        time = {"frame": time_frame(sent, in_sent),
                "anchors": [anchor_record(anchor, text, offset) for anchor in in_sent]}
        found_relations = take_actors(relations(sent, sent_ents, reading=reading), refs, doc)
        rels = _relation_records(found_relations, doc, coder, offset, time)
        yield Claim(
            claim_id=f"{doc_id}:{start}-{end}",
            doc_id=doc_id,
            source=source,
            title=title,
            text=text[sent.start_char:sent.end_char],
            start=start,
            end=end,
            categories=sorted({*categories, *(item["category"] for item in from_context)}),
            evidence=[_evidence_record(item, text, offset) for item in kept] + from_context,
            entities=[_entity_record(ent, text, offset, article_day, dates)
                      for ent in sent_ents],
            relations=rels,
            modality=clause_modality(sent.root),
            provenance=provenance,
            references=reference_records(refs, text, offset),
            time=time,
            attribution=attribution.record(text, offset) if attribution else None,
        )


def _evidence_in(sent: Span, evidence: list, starts: list[int]) -> list:
    """The items (evidence or anchors, sorted by start) that lie inside `sent`."""
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
    record = {
        "category": item.category,
        "rule": item.rule,
        "match": text[item.start:item.end],
        "start": item.start + offset,
        "end": item.end + offset,
    }
    if item.value is not None:
        record["value"] = item.value
    return record


def _entity_record(ent: Span, text: str, offset: int, reference: date | None,
                   dates: dict[tuple[int, int], Anchor]) -> dict[str, Any]:
    """An entity of the claim; its text is cut from the Doc's `text`, which ent.text would
    join again from the tokens."""
    start, end, label = ent.start_char, ent.end_char, ent.label_
    extensions = ent._
    record = {
        "text": text[start:end],
        "label": label,
        "start": start + offset,
        "end": end + offset,
        "actor": extensions.actor if Span.has_extension("actor") else None,
    }
    if label == "DATE":
        anchor = dates.get((start, end))
        record.update(date_fields(anchor if anchor is not None
                                  else normalise_date(record["text"], reference)))
    if Span.has_extension("geo") and extensions.geo is not None:
        record["geo"] = extensions.geo  # a gazetteer place: {geonameid, country, lat, lon}
    return record


def _argument_record(arg: Argument, offset: int) -> dict[str, Any]:
    record = {"text": arg.text, "start": arg.start + offset, "end": arg.end + offset,
              "actor": arg.actor}
    if arg.role is not None:
        record["role"] = arg.role
    return record


def _relation_records(rels: list[Relation], doc: Doc, coder, offset: int,
                      time: dict[str, Any]) -> list[dict[str, Any]]:
    """The relation records of one sentence, each with its political event when it has one
    (an event's historical mode follows the claim's time frame)."""
    records = [relation_record(rel, offset) for rel in rels]
    for record, event in zip(records, coder.code(rels, doc, time), strict=True):
        if event is not None:
            record["event"] = event
    return records


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
