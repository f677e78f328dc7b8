"""Span repairs after NER: no "the", possessive or dangling "and" in a name; years as DATE.

en_core_web_sm leaves "the" and "’s" inside names and ends spans on "and"/"of"; analysts
need "Belarus", not "Belarus’s". The domain names themselves come from the entity ruler
(data/entity_patterns.jsonl) placed before the statistical NER.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

LEADING_JUNK = frozenset({"the", "a", "an", "this", "that", "these", "those", "’s", "'s"})
#: Prefixes of a hyphenated compound that are not part of the name: "pro-Western" → "Western".
COMPOUND_PREFIXES = frozenset({"pro", "anti", "non", "neo", "ex"})
TRAILING_JUNK = frozenset({"'s", "’s", "’", "'", "s", "and", "or", "of", "&", "the", "-", "–"})
YEAR_RANGE = range(1000, 2101)
#: A demonym that is spoken, taught or written is a language ("Russian widely spoken").
LANGUAGE_VERBS = frozenset({"speak", "teach", "learn", "write", "translate", "broadcast",
                            "publish", "understand"})


@Language.factory("belnlp_entity_repair")
def make_entity_repair(nlp: Language, name: str) -> EntityRepair:
    return EntityRepair()


class EntityRepair:
    """Trims junk tokens from entity edges and relabels bare years as DATE."""

    def __call__(self, doc: Doc) -> Doc:
        repaired = [span for ent in doc.ents if (span := repair(ent)) is not None]
        doc.ents = filter_spans(repaired)
        return doc


def repair(ent: Span) -> Span | None:
    """The entity with its edges trimmed and its label fixed, or None when nothing is left."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in LEADING_JUNK or doc[start].is_punct
                           or doc[start].is_space
                           or (doc[start].lower_ in COMPOUND_PREFIXES and start + 1 < end
                               and doc[start + 1].text == "-")):
        start += 1
    while end > start and (doc[end - 1].lower_ in TRAILING_JUNK or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    if start == end:
        return None
    label = ent.label_
    if label == "CARDINAL" and end - start == 1 and _is_year(doc[start].text):
        label = "DATE"
    if label == "NORP" and end - start == 1 and _is_language(doc[start]):
        label = "LANGUAGE"
    if (start, end, label) == (ent.start, ent.end, ent.label_):
        return ent
    return Span(doc, start, end, label=label, kb_id=ent.kb_id_, span_id=ent.id_)


def _is_language(token) -> bool:
    """A demonym used as a language: subject or object of speaking, or before "language"."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is not None and following.lower_ in ("language", "speakers", "speaker"):
        return True
    head = token.head
    if head.dep_ == "pobj" or token.dep_ == "pobj":
        head = token.head.head
    passive_subject = token.dep_ == "nsubjpass" or (token.dep_ == "nsubj" and head.tag_ == "VBN")
    return (passive_subject or token.dep_ in ("dobj", "pobj")) and head.lemma_ in LANGUAGE_VERBS


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and int(text) in YEAR_RANGE
