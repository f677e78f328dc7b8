"""Anchor words of (Dependency)Matcher patterns: fixed words that every match contains.

spaCy's Matcher tries every pattern at every token, and evaluates an "IN" set, a regex or
LIKE_NUM in Python each time, so a few token rules cost more than hundreds of phrases. Each
pattern token that is not optional and names its words (`LOWER`, `ORTH`, `TEXT` or `LEMMA`,
one word or an "IN" list) is an anchor of the pattern: a match holds one of its words. The
anchors of all patterns go into two PhraseMatchers (on LOWER and on LEMMA), which find them in
C; each pattern then runs, in a Matcher of its own, only on the sentences that hold every one
of its anchors ("in" is in most sentences, "in" with "history" in few). A pattern without an
anchor is unanchored and runs on the whole Doc.

A match is sought within one sentence: evidence only counts inside a claim sentence, so a match
across a sentence boundary was never used. A dependency pattern is anchored the same way on
its nodes when every relation in it is a tree relation (a match then lies in one parse tree,
one sentence) and no node tests an extension attribute.

The entity ruler's patterns may cross sentences, and its Matcher must return exactly what it
returned on the whole Doc: WindowedMatcher runs it on windows around a text test of each
pattern (a word, a word list or a regex), as wide as the pattern is long.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

WORD_ATTRS = {"LOWER": "LOWER", "ORTH": "LOWER", "TEXT": "LOWER", "LEMMA": "LEMMA"}
MANDATORY_OPS = frozenset({None, "+", "1"})
TREE_OPS = frozenset({">", "<", ">>", "<<", "$+", "$-", "$++", "$--", ">+", ">-", "<+", "<-",
                      ">++", ">--", "<++", "<--"})

Anchor = tuple[str, frozenset[str]]  # (attribute, words)


def dependency_anchors(pattern: list[dict[str, Any]]) -> list[Anchor]:
    """The anchors of a dependency pattern (see pattern_anchors); none if it may cross trees."""
    if not all(isinstance(node, dict) and isinstance(node.get("RIGHT_ATTRS"), dict)
               for node in pattern):
        return []
    if any("REL_OP" in node and node["REL_OP"] not in TREE_OPS for node in pattern):
        return []
    attrs = [node["RIGHT_ATTRS"] for node in pattern]
    if any("_" in node or node.get("OP") not in MANDATORY_OPS for node in attrs):
        return []
    return pattern_anchors(attrs)


def pattern_anchors(pattern: list[dict[str, Any]]) -> list[Anchor]:
    """(attribute, words) for each mandatory pattern token that names its words.

    ORTH and TEXT words anchor by their lower case, which finds a superset of their tokens.
    """
    anchors = []
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") not in MANDATORY_OPS:
            continue
        for key, attr in WORD_ATTRS.items():
            words = _fixed_words(token.get(key))
            if words is not None:
                if attr == "LOWER":
                    words = frozenset(word.lower() for word in words)
                anchors.append((attr, words))
    return anchors


def _fixed_words(value: Any) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and set(value) == {"IN"} and value["IN"] and all(
            isinstance(word, str) for word in value["IN"]):
        return frozenset(value["IN"])
    return None


class Anchors:
    """The anchors of several patterns, and the sentences of a Doc that hold all of one's."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.finders = {"LOWER": PhraseMatcher(vocab, attr="LOWER"),
                        "LEMMA": PhraseMatcher(vocab, attr="LEMMA")}
        self.keys: dict[Anchor, int] = {}
        self.required: list[frozenset[int]] = []

    def add(self, anchors: list[Anchor]) -> None:
        """One pattern's anchors; a sentence must hold all of them."""
        keys = set()
        for anchor in anchors:
            if anchor not in self.keys:
                attr, words = anchor
                key = f"belnlp_anchor_{len(self.keys)}"
                self.finders[attr].add(key, [
                    Doc(self.vocab, words=[word], lemmas=[word] if attr == "LEMMA" else None)
                    for word in sorted(words)])
                self.keys[anchor] = self.vocab.strings[key]
            keys.add(self.keys[anchor])
        self.required.append(frozenset(keys))

    def sentences(self, doc: Doc) -> list[tuple[Span, list[int]]]:
        """The sentences that hold every anchor of some pattern, in order (the whole Doc when
        it has no sentence boundaries), each with those patterns' indices (order of `add`)."""
        hits = [(start, key) for finder in self.finders.values() if len(finder)
                for key, start, _ in finder(doc)]
        if not hits:
            return []
        if not doc.has_annotation("SENT_START"):
            complete = self._complete({key for _, key in hits})
            return [(doc[:], complete)] if complete else []
        bounds = [sent.start for sent in doc.sents] + [len(doc)]
        found: dict[int, set[int]] = {}
        for start, key in hits:
            found.setdefault(bisect_right(bounds, start) - 1, set()).add(key)
        sentences = []
        for index in sorted(found):
            complete = self._complete(found[index])
            if complete:
                sentences.append((doc[bounds[index]:bounds[index + 1]], complete))
        return sentences

    def _complete(self, keys: set[int]) -> list[int]:
        return [index for index, required in enumerate(self.required) if required <= keys]


class AnchoredMatcher:
    """A Matcher that runs each anchored pattern only on the sentences holding its anchors.

    Returns what Matcher(doc) returns for matches inside one sentence, in Doc offsets (in
    another order: callers sort).
    """

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.validate = validate
        self.anchored: list[Matcher] = []  # one per pattern, in the order of self.anchors
        self.unanchored = Matcher(vocab, validate=validate)
        self.anchors = Anchors(vocab)

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        anchors = pattern_anchors(pattern)
        if not anchors:
            self.unanchored.add(key, [pattern])
            return
        matcher = Matcher(self.vocab, validate=self.validate)
        matcher.add(key, [pattern])  # validates the pattern before its anchors are kept
        self.anchored.append(matcher)
        self.anchors.add(anchors)

    def __len__(self) -> int:
        return len(self.anchored) + len(self.unanchored)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = list(self.unanchored(doc)) if len(self.unanchored) else []
        if self.anchored:
            for sent, patterns in self.anchors.sentences(doc):
                for index in patterns:
                    matches.extend((key, start + sent.start, end + sent.start)
                                   for key, start, end in self.anchored[index](sent))
        return matches


class AnchoredDependencyMatcher:
    """A DependencyMatcher that runs each anchored pattern only on the sentences holding its
    anchors.

    Returns what DependencyMatcher(doc) returns, in Doc token indices (in another order).
    """

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.validate = validate
        self.anchored: list[DependencyMatcher] = []  # one per pattern, as self.anchors
        self.unanchored = DependencyMatcher(vocab, validate=validate)
        self.anchors = Anchors(vocab)

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        anchors = dependency_anchors(pattern)
        if not anchors:
            self.unanchored.add(key, [pattern])
            return
        matcher = DependencyMatcher(self.vocab, validate=self.validate)
        matcher.add(key, [pattern])
        self.anchored.append(matcher)
        self.anchors.add(anchors)

    def __len__(self) -> int:
        return len(self.anchored) + len(self.unanchored)

    def __call__(self, doc: Doc) -> list[tuple[int, list[int]]]:
        matches = list(self.unanchored(doc)) if len(self.unanchored) else []
        if self.anchored:
            for sent, patterns in self.anchors.sentences(doc):
                # The DependencyMatcher copies a Span into a Doc, by default with all of the
                # Doc's extension values; anchored patterns test none.
                words = sent.as_doc(copy_user_data=False)
                for index in patterns:
                    matches.extend((key, [i + sent.start for i in ids])
                                   for key, ids in self.anchored[index](words))
        return matches


#: Quantifiers of a token that a match must hold exactly once, and the most tokens each takes.
ONCE_OPS = frozenset({None, "1"})
MOST_TOKENS = {None: 1, "1": 1, "?": 1, "!": 1}
TEXT_KEYS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER}


def _most_tokens(op: str | None) -> int | None:
    """The most tokens a pattern token with this quantifier takes; None when unbounded."""
    if op in MOST_TOKENS:
        return MOST_TOKENS[op]
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        most = op[1:-1].split(",")[-1]
        return int(most) if most.isdecimal() else None
    return None


class TextAnchor:
    """A test of a token's text (ORTH) or lower case (LOWER): fixed words or a regex."""

    def __init__(self, attr: int, words: frozenset[str] | None = None,
                 regex: re.Pattern[str] | None = None) -> None:
        self.attr = attr
        self.regex = regex
        self.hashes = None if words is None else numpy.array(
            sorted(get_string_id(word) for word in words), dtype=numpy.uint64)

    def positions(self, doc: Doc, column: numpy.ndarray) -> numpy.ndarray:
        """Indices of the tokens that pass, from the Doc's column of `attr` hashes (a regex
        is searched once per distinct string)."""
        if self.hashes is not None:
            return numpy.flatnonzero(numpy.isin(column, self.hashes))
        distinct, inverse = numpy.unique(column, return_inverse=True)
        strings = doc.vocab.strings
        passed = numpy.array([self.regex.search(strings[h]) is not None
                              for h in distinct.tolist()], dtype=bool)
        return numpy.flatnonzero(passed[inverse.ravel()])


def text_anchor(pattern: list[dict[str, Any]]) -> tuple[TextAnchor, int] | None:
    """The likely rarest token test of a pattern that every match passes once (fewest fixed
    words, case-sensitive before lower-case, a regex last: "West" rather than "the",
    "language" rather than twenty language names), with the most tokens a match has; None
    when there is no such test or no bound."""
    found: list[tuple[tuple[int, int, int], TextAnchor]] = []
    most = 0
    for token in pattern:
        if not isinstance(token, dict):
            return None
        spec = {str(key).upper(): value for key, value in token.items()}
        size = _most_tokens(spec.get("OP"))
        if size is None:
            return None
        most += size
        if spec.get("OP") not in ONCE_OPS:
            continue
        for key, attr in TEXT_KEYS.items():
            value = spec.get(key)
            words = _fixed_words(value)
            if words is not None:
                found.append(((0, len(words), attr != ORTH), TextAnchor(attr, words=words)))
            elif isinstance(value, dict) and set(value) == {"REGEX"}:
                found.append(((1, 0, attr != ORTH),
                              TextAnchor(attr, regex=re.compile(value["REGEX"]))))
    if not found:
        return None
    return min(found, key=lambda candidate: candidate[0])[1], most


class WindowedMatcher:
    """A Matcher run only on the windows of the Doc around its patterns' text anchors.

    Every pattern has a bounded length and a token that tests its text (a word, a word list
    or a regex, as spaCy's "REGEX" searches it), so every match lies within that many tokens
    of an anchor; overlapping or touching windows are merged. The Matcher then walks only
    the windows, and its Token objects and Python predicates are spent there, not on every
    token of the Doc. The matches are Matcher(doc)'s, in its order: each is reported while
    the Matcher is at its last token or the one after it, inside its window, and windows are
    apart. Patterns without an anchor or bound run on the whole Doc instead.
    """

    def __init__(self, matcher: Matcher, patterns: list[list[dict[str, Any]]]) -> None:
        self.matcher = matcher
        self.anchors: list[tuple[TextAnchor, int]] | None = []
        self.extend(patterns)

    def extend(self, patterns: list[list[dict[str, Any]]]) -> None:
        """Take the anchors of patterns added to the Matcher."""
        for pattern in patterns:
            found = text_anchor(pattern)
            if found is None or self.anchors is None:
                self.anchors = None  # the whole Doc, as the Matcher alone
            else:
                self.anchors.append(found)

    def add(self, key: str, patterns: list[list[dict[str, Any]]], **options: Any) -> None:
        if options:
            self.anchors = None  # a greedy filter or callback sees every match of the Doc
        self.matcher.add(key, patterns, **options)
        self.extend(patterns)

    def __len__(self) -> int:
        return len(self.matcher)

    def __getattr__(self, name: str) -> Any:
        """Everything else is the Matcher's own."""
        if name == "matcher":  # not set yet, while unpickling
            raise AttributeError(name)
        return getattr(self.matcher, name)

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """The merged windows [start, end) of the Doc that may hold a match."""
        columns = {attr: doc.to_array(attr) for attr in {a.attr for a, _ in self.anchors}}
        spans = sorted((max(0, i - most + 1), min(len(doc), i + most))
                       for anchor, most in self.anchors
                       for i in anchor.positions(doc, columns[anchor.attr]).tolist())
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def __call__(self, doc: Doc, **options: Any) -> list[tuple[int, int, int]]:
        if self.anchors is None or options or not len(self.matcher):
            return self.matcher(doc, **options)
        return [(key, start + begin, end + begin) for begin, stop in self.windows(doc)
                for key, start, end in self.matcher(doc[begin:stop])]
