"""The document's talk about itself: sentences on its own structure or method are no claims.

"The paper has three chapters", "This section is organised as follows" and "The findings are
drawn from interviews" say nothing about the world; "This report argues that Moscow ..."
frames a claim and stays one, because its verb takes a clause. The cues are general facts
of how reports describe themselves, kept in data/cues/meta.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span, Token

from belnlp.jsonl import data_file, json_object

META_KEYS = frozenset({"_doc", "self_nouns", "self_determiners", "structure_verbs",
                       "method_nouns", "method_verbs", "phrases"})
#: A main verb with a clause of its own asserts through it ("argues that ...").
CLAUSE_DEPS = frozenset({"ccomp", "csubj"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
ARGUMENT_DEPS = frozenset({"prep", "agent", "advmod", "npadvmod", "dobj"})


class MetaError(ValueError):
    """A meta cue file that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class MetaCues:
    self_nouns: frozenset[str]
    self_determiners: tuple[tuple[str, ...], ...]
    structure_verbs: frozenset[str]
    method_nouns: frozenset[str]
    method_verbs: frozenset[str]
    phrases: tuple[re.Pattern[str], ...]


def load_meta_cues(path: str | Path | None = None) -> MetaCues:
    """Read and validate a meta cue file (the packaged one by default)."""
    return data_file(path, "cues/meta.json", _parse, MetaError, "meta cue file")


def _parse(text: str, name: str) -> MetaCues:
    raw = json_object(text, name, META_KEYS, MetaError)
    for key in META_KEYS - {"_doc"}:
        if not isinstance(raw[key], list) or not all(isinstance(v, str) and v for v in raw[key]):
            raise MetaError(f"{name}: {key!r} must be a list of non-empty strings")
    phrases = []
    for pattern in raw["phrases"]:
        try:
            phrases.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise MetaError(f"{name}: phrases: bad pattern {pattern!r} ({exc})") from None
    return MetaCues(
        self_nouns=frozenset(raw["self_nouns"]),
        self_determiners=tuple(tuple(d.split()) for d in raw["self_determiners"]),
        structure_verbs=frozenset(raw["structure_verbs"]),
        method_nouns=frozenset(raw["method_nouns"]),
        method_verbs=frozenset(raw["method_verbs"]),
        phrases=tuple(phrases),
    )


def is_meta(sent: Span, cues: MetaCues | None = None, text: str | None = None) -> bool:
    """True when the sentence is only about the document's own structure or method.

    `text` is sent.text when the caller has it (spaCy joins it from the tokens)."""
    cues = cues or load_meta_cues()
    text = sent.text if text is None else text
    if any(pattern.search(text) for pattern in cues.phrases):
        return True
    root = sent.root
    lemma = root.lemma_
    if lemma not in cues.method_verbs and lemma not in cues.structure_verbs:
        return False  # most sentences: no need to read the root's children
    children = list(root.children)
    if any(child.dep_ in CLAUSE_DEPS for child in children):
        return False
    subjects = [child for child in children if child.dep_ in SUBJECT_DEPS]
    if lemma in cues.method_verbs and any(
        subject.lemma_ in cues.method_nouns or subject.lower_ in cues.method_nouns
        for subject in subjects
    ):
        return True
    if lemma not in cues.structure_verbs:
        return False
    if any(_is_self(subject, cues) for subject in subjects):
        return True
    if any(_is_document(subject, cues) for subject in subjects) and any(
        child.dep_ == "dobj" and child.lemma_ in cues.self_nouns for child in children
    ):
        return True  # "The paper has three chapters"
    return any(_is_self(token, cues) for child in children
               if child.dep_ in ARGUMENT_DEPS for token in child.subtree
               if token.dep_ == "pobj")


def _is_document(noun: Token, cues: MetaCues) -> bool:
    return noun.lower_ in cues.self_nouns or noun.lemma_ in cues.self_nouns


def _is_self(noun: Token, cues: MetaCues) -> bool:
    """"this paper", "the next section", "our report": the document naming itself."""
    if not _is_document(noun, cues):
        return False
    before = tuple(token.lower_ for token in noun.doc[max(noun.left_edge.i, noun.i - 3):noun.i]
                   if token.dep_ in ("det", "poss", "amod", "predet"))
    return any(before[:len(det)] == det or before[-len(det):] == det
               for det in cues.self_determiners)
