"""The model's attribute ruler and lemmatizer, run from per-document arrays: same output, less time.

spaCy's AttributeRuler runs a Matcher over every token and sets each match through the Token
API; its rule Lemmatizer creates a Token object per word. On en_core_web_sm both together cost
about a sixth of the model's own time. Here each document is read once with `Doc.to_array`:
- the ruler's patterns (fixed-length token patterns of equality, IN, NOT_IN and REGEX tests)
  become boolean masks over the arrays, skipped where the document lacks a value the pattern
  needs, and their attributes are written in the ruler's order (later rules win);
- the lemma is a function of (ORTH, POS, MORPH) in "rule" mode and of ORTH in "lookup" mode,
  so each distinct key is lemmatised once, by the original component's own code;
and the results are written back once with `Doc.from_array`. Where a ruler's patterns use
anything else (operators, other predicates or attributes), or a lemmatizer another mode,
the original component stays in the pipeline unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, IDS, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

WRITTEN = (POS, TAG, DEP, LEMMA, MORPH)  # what a replaced ruler may set; none is lexical
READABLE = frozenset({ORTH, LOWER, NORM, LEMMA, TAG, DEP, POS, IS_SPACE})
PREDICATES = frozenset({"IN", "NOT_IN", "REGEX"})
LEMMA_MODES = {"rule": (ORTH, POS, MORPH), "lookup": (ORTH,)}


@dataclass(frozen=True, slots=True)
class _Test:
    """One token attribute test of a pattern: equal to a value, in a set or not, a regex."""

    attr: int
    values: frozenset[int] = frozenset()
    regex: re.Pattern[str] | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Pattern:
    rule: int  # the ruler's attribute-set id: later ids win, as in AttributeRuler.match
    tokens: tuple[tuple[_Test, ...], ...]
    index: int  # the token of the match that gets the attributes, counted from the start


def _compile(ruler: AttributeRuler) -> list[_Pattern] | None:
    """The ruler's patterns as tests, or None when one uses what this module does not read."""
    strings = ruler.vocab.strings
    compiled = []
    for rule, attrs in enumerate(ruler.attrs):
        if any(attr not in WRITTEN for attr in attrs):
            return None
        for pattern in ruler.matcher.get(str(rule))[1]:
            tokens = []
            for spec in pattern:
                tests = []
                for name, value in spec.items():
                    attr = IDS.get("ORTH" if name.upper() == "TEXT" else name.upper())
                    if attr not in READABLE:
                        return None
                    if isinstance(value, dict):
                        if set(value) - PREDICATES or len(value) != 1:
                            return None
                        if "REGEX" in value:
                            tests.append(_Test(attr, regex=re.compile(value["REGEX"])))
                            continue
                        negated = "NOT_IN" in value
                        value = value["NOT_IN" if negated else "IN"]
                    else:
                        negated, value = False, [value]
                    if attr == IS_SPACE:
                        values = frozenset(int(bool(v)) for v in value)
                    else:
                        values = frozenset(strings.add(v) for v in value)
                    tests.append(_Test(attr, values, negated=negated))
                tokens.append(tuple(tests))
            index = ruler.indices[rule]
            if not -len(tokens) <= index < len(tokens):
                return None  # spaCy's own ruler reports the error
            compiled.append(_Pattern(rule, tuple(tokens), index % len(tokens)))
    return compiled


@Language.factory("belnlp_attributes", default_config={"source": "attribute_ruler"})
def make_attribute_table(nlp: Language, name: str, source: str) -> AttributeTable:
    ruler = nlp.get_pipe(source)
    patterns = _compile(ruler)
    if patterns is None:
        raise ValueError(f"the patterns of {source!r} need spaCy's own AttributeRuler")
    return AttributeTable(ruler, patterns)


@Language.factory("belnlp_lemmas", default_config={"source": "lemmatizer"})
def make_lemma_table(nlp: Language, name: str, source: str) -> LemmaTable:
    return LemmaTable(nlp.get_pipe(source))


def use_tables(nlp: Language) -> Language:
    """Replace the model's attribute rulers and lemmatizers by their table versions, where
    their settings allow it; the others stay as they are."""
    for name, component in list(nlp.pipeline):
        if isinstance(component, AttributeRuler) and _compile(component) is not None:
            factory = "belnlp_attributes"
        elif isinstance(component, Lemmatizer) and component.mode in LEMMA_MODES:
            factory = "belnlp_lemmas"
        else:
            continue
        nlp.add_pipe(factory, name=f"{name}_table", before=name, config={"source": name})
        nlp.remove_pipe(name)
    return nlp


def _anchor(pattern: _Pattern) -> _Test | None:
    """A test that some token of every match passes only with a value from a fixed set:
    a document without any of those values cannot hold a match."""
    return next((test for spec in pattern.tokens for test in spec
                 if test.regex is None and not test.negated), None)


class _DocByDoc:
    """spaCy's pipe() for a component whose work is per Doc."""

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class AttributeTable(_DocByDoc):
    """The AttributeRuler `source`, matched with array operations and written back at once."""

    def __init__(self, source: AttributeRuler, patterns: list[_Pattern]) -> None:
        self.source = source
        self.patterns = sorted(patterns, key=lambda pattern: pattern.rule)
        tested = sorted({test.attr for p in patterns for spec in p.tokens for test in spec})
        self.column = {attr: j for j, attr in enumerate(tested)}
        self.sets = {test: np.fromiter(test.values, dtype=np.uint64)
                     for p in patterns for spec in p.tokens for test in spec}
        self.anchors = [_anchor(pattern) for pattern in self.patterns]
        self._searched: dict[tuple[re.Pattern[str], int], bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n or not self.patterns:
            return doc
        tested = doc.to_array(list(self.column)).reshape(n, len(self.column)).astype(np.uint64)
        written = doc.to_array(list(WRITTEN)).reshape(n, len(WRITTEN)).astype(np.uint64)
        present = {attr: set(np.unique(tested[:, j]).tolist())
                   for attr, j in self.column.items()}
        masks: dict[_Test, np.ndarray] = {}
        for pattern, anchor in zip(self.patterns, self.anchors, strict=True):
            length = len(pattern.tokens)
            if length > n or (anchor and present[anchor.attr].isdisjoint(anchor.values)):
                continue
            found = np.ones(n - length + 1, dtype=bool)
            for j, spec in enumerate(pattern.tokens):
                for test in spec:
                    mask = masks.get(test)
                    if mask is None:
                        column = tested[:, self.column[test.attr]]
                        mask = masks[test] = self._mask(doc, test, column)
                    found &= mask[j:j + len(found)]
            targets = np.flatnonzero(found) + pattern.index
            if len(targets):
                for attr, value in self.source.attrs[pattern.rule].items():
                    written[targets, WRITTEN.index(attr)] = value
        doc.from_array(list(WRITTEN), written)
        return doc

    def clear_cache(self) -> None:
        """Forget the regex results by word (a memory zone's strings go with it)."""
        self._searched.clear()

    def _mask(self, doc: Doc, test: _Test, values: np.ndarray) -> np.ndarray:
        """Which tokens pass one attribute test."""
        if test.regex is None:
            wanted = self.sets[test]
            inside = values == wanted[0] if len(wanted) == 1 else np.isin(values, wanted)
            return ~inside if test.negated else inside
        strings = doc.vocab.strings
        hits = []
        for value in np.unique(values).tolist():
            hit = self._searched.get((test.regex, value))
            if hit is None:
                hit = self._searched[(test.regex, value)] = bool(
                    value and test.regex.search(strings[value]))
            if hit:
                hits.append(value)
        return np.isin(values, np.array(hits, dtype=np.uint64))


class LemmaTable(_DocByDoc):
    """The Lemmatizer `source` in a mode whose lemma is a function of a few attributes,
    applied through arrays and a cache of lemmas by those attributes."""

    def __init__(self, source: Lemmatizer) -> None:
        self.source = source
        self.key = list(LEMMA_MODES[source.mode])
        self._lemmas: dict[bytes, str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not self.source._validated:  # spaCy's own check that the lookup tables are there
            self.source._validate_tables(Errors.E1004)
        if not len(doc):
            return doc
        lemmas = doc.to_array([LEMMA]).astype(np.uint64)
        todo = np.arange(len(doc)) if self.source.overwrite else np.flatnonzero(lemmas == 0)
        if not len(todo):
            return doc
        keys = doc.to_array(self.key).reshape(len(doc), len(self.key)).astype(np.uint64)[todo]
        distinct, first, inverse = np.unique(keys, axis=0, return_index=True,
                                             return_inverse=True)
        strings = doc.vocab.strings
        found = np.empty(len(distinct), dtype=np.uint64)
        for k, key in enumerate(distinct):
            lemma = self._lemmas.get(key.tobytes())
            if lemma is None:
                lemma = self._lemmas[key.tobytes()] = self.source.lemmatize(
                    doc[int(todo[first[k]])])[0]
            found[k] = strings.add(lemma)
        lemmas[todo] = found[inverse.ravel()]
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    def clear_cache(self) -> None:
        """Forget the lemmas, here and in the source (a memory zone's strings go with it)."""
        self._lemmas.clear()
        self.source.cache.clear()
