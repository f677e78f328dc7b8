"""Anchor words of (Dependency)Matcher patterns: fixed words one of which every match contains.

spaCy's Matcher tries every pattern at every token, and evaluates an "IN" set, a regex or
LIKE_NUM in Python each time, so a few token rules cost more than hundreds of phrases. A
pattern token that is not optional and names its words (`LOWER`, `ORTH`, `TEXT` or `LEMMA`,
one word or an "IN" list) gives the pattern's anchors: a match holds one of them. The anchors
of all patterns go into two PhraseMatchers (on LOWER and on LEMMA), which find them in C; the
Matcher then runs only on the sentences that hold an anchor. A pattern without such a token is
unanchored and runs on the whole Doc.

A match is sought within one sentence: evidence only counts inside a claim sentence, so a match
across a sentence boundary was never used. A dependency pattern is anchored the same way on
any of its nodes when every relation in it is a tree relation (a match then lies in one parse
tree, one sentence) and no node tests an extension attribute.
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

WORD_ATTRS = {"LOWER": "LOWER", "ORTH": "LOWER", "TEXT": "LOWER", "LEMMA": "LEMMA"}
MANDATORY_OPS = frozenset({None, "+", "1"})
ANCHOR = "anchor"
TREE_OPS = frozenset({">", "<", ">>", "<<", "$+", "$-", "$++", "$--", ">+", ">-", "<+", "<-",
                      ">++", ">--", "<++", "<--"})
LEMMA_FORMS = 3


def dependency_anchors(pattern: list[dict[str, Any]], vocab: Vocab
                       ) -> tuple[str, frozenset[str]] | None:
    """The anchors of a dependency pattern (see pattern_anchors), or None."""
    if not all(isinstance(node, dict) and isinstance(node.get("RIGHT_ATTRS"), dict)
               for node in pattern):
        return None
    if any("REL_OP" in node and node["REL_OP"] not in TREE_OPS for node in pattern):
        return None
    attrs = [node["RIGHT_ATTRS"] for node in pattern]
    if any("_" in node or node.get("OP") not in MANDATORY_OPS for node in attrs):
        return None
    return pattern_anchors(attrs, vocab)


def pattern_anchors(pattern: list[dict[str, Any]], vocab: Vocab
                    ) -> tuple[str, frozenset[str]] | None:
    """(attribute, words) of the pattern token whose fixed words are rarest, or None.

    Rarest: fewest stop words among them ("in" would anchor nearly every sentence), then
    fewest forms, a lemma counting as LEMMA_FORMS (it stands for all its inflections). ORTH
    and TEXT words anchor by their lower case, which finds a superset of their tokens.
    """
    best: tuple[str, frozenset[str]] | None = None
    best_cost = (0, 0)
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") not in MANDATORY_OPS:
            continue
        for key, attr in WORD_ATTRS.items():
            words = _fixed_words(token.get(key))
            if words is None:
                continue
            if attr == "LOWER":
                words = frozenset(word.lower() for word in words)
            cost = (sum(vocab[word].is_stop for word in words),
                    len(words) * (LEMMA_FORMS if attr == "LEMMA" else 1))
            if best is None or cost < best_cost:
                best, best_cost = (attr, words), cost
    return best


def _fixed_words(value: Any) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and set(value) == {"IN"} and value["IN"] and all(
            isinstance(word, str) for word in value["IN"]):
        return frozenset(value["IN"])
    return None


class Anchors:
    """Anchor words on LOWER and on LEMMA, and the sentences of a Doc that hold one."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.finders = {"LOWER": PhraseMatcher(vocab, attr="LOWER"),
                        "LEMMA": PhraseMatcher(vocab, attr="LEMMA")}

    def add(self, attr: str, words: frozenset[str]) -> None:
        docs = [Doc(self.vocab, words=[word], lemmas=[word] if attr == "LEMMA" else None)
                for word in sorted(words)]
        self.finders[attr].add(ANCHOR, docs)

    def sentences(self, doc: Doc) -> list[Span]:
        """The sentences holding an anchor, in order (the whole Doc when it has no sentences)."""
        positions = sorted({start for finder in self.finders.values() if len(finder)
                            for _, start, _ in finder(doc)})
        if not positions:
            return []
        if not doc.has_annotation("SENT_START"):
            return [doc[:]]
        sentences: list[Span] = []
        for position in positions:
            if sentences and position < sentences[-1].end:
                continue
            sentences.append(doc[position].sent)
        return sentences


class AnchoredMatcher:
    """A Matcher that runs anchored patterns only on the sentences holding one of their anchors.

    Returns what Matcher(doc) returns for matches inside one sentence, in Doc offsets.
    """

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.anchored = Matcher(vocab, validate=validate)
        self.unanchored = Matcher(vocab, validate=validate)
        self.anchors = Anchors(vocab)

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        found = pattern_anchors(pattern, self.vocab)
        if found is None:
            self.unanchored.add(key, [pattern])
            return
        self.anchored.add(key, [pattern])  # validates the pattern before its anchors are kept
        self.anchors.add(*found)

    def __len__(self) -> int:
        return len(self.anchored) + len(self.unanchored)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = list(self.unanchored(doc)) if len(self.unanchored) else []
        if len(self.anchored):
            for sent in self.anchors.sentences(doc):
                matches.extend((key, start + sent.start, end + sent.start)
                               for key, start, end in self.anchored(sent))
        return matches


class AnchoredDependencyMatcher:
    """A DependencyMatcher that runs anchored patterns only on the sentences holding an anchor.

    Returns what DependencyMatcher(doc) returns, in Doc token indices.
    """

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.anchored = DependencyMatcher(vocab, validate=validate)
        self.unanchored = DependencyMatcher(vocab, validate=validate)
        self.anchors = Anchors(vocab)

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        found = dependency_anchors(pattern, self.vocab)
        if found is None:
            self.unanchored.add(key, [pattern])
            return
        self.anchored.add(key, [pattern])
        self.anchors.add(*found)

    def __len__(self) -> int:
        return len(self.anchored) + len(self.unanchored)

    def __call__(self, doc: Doc) -> list[tuple[int, list[int]]]:
        matches = list(self.unanchored(doc)) if len(self.unanchored) else []
        if len(self.anchored):
            for sent in self.anchors.sentences(doc):
                matches.extend((key, [i + sent.start for i in ids])
                               for key, ids in self.anchored(sent))
        return matches
