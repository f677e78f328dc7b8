"""Anchor words of Matcher patterns: fixed words one of which every match must contain.

spaCy's Matcher tries every pattern at every token, and evaluates an "IN" set, a regex or
LIKE_NUM in Python each time, so a few token rules cost more than hundreds of phrases. A
pattern token that is not optional and names its words (`LOWER`, `ORTH`, `TEXT` or `LEMMA`,
one word or an "IN" list) gives the pattern's anchors: a match holds one of them. The anchors
of all patterns go into two PhraseMatchers (on LOWER and on LEMMA), which find them in C; the
Matcher then runs only on the sentences that hold an anchor. A pattern without such a token is
unanchored and runs on the whole Doc.

A match is sought within one sentence: evidence only counts inside a claim sentence, so a match
across a sentence boundary was never used.
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

WORD_ATTRS = {"LOWER": "LOWER", "ORTH": "LOWER", "TEXT": "LOWER", "LEMMA": "LEMMA"}
MANDATORY_OPS = frozenset({None, "+", "1"})
ANCHOR = "anchor"
LEMMA_FORMS = 3


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


class AnchoredMatcher:
    """A Matcher that runs anchored patterns only on the sentences holding one of their anchors.

    Returns what Matcher(doc) returns for matches inside one sentence, in Doc offsets.
    """

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.anchored = Matcher(vocab, validate=validate)
        self.unanchored = Matcher(vocab, validate=validate)
        self.finders = {"LOWER": PhraseMatcher(vocab, attr="LOWER"),
                        "LEMMA": PhraseMatcher(vocab, attr="LEMMA")}

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        found = pattern_anchors(pattern, self.vocab)
        if found is None:
            self.unanchored.add(key, [pattern])
            return
        self.anchored.add(key, [pattern])  # validates the pattern before its anchors are kept
        attr, words = found
        docs = [Doc(self.vocab, words=[word], lemmas=[word] if attr == "LEMMA" else None)
                for word in sorted(words)]
        self.finders[attr].add(ANCHOR, docs)

    def __len__(self) -> int:
        return len(self.anchored) + len(self.unanchored)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = list(self.unanchored(doc)) if len(self.unanchored) else []
        if not len(self.anchored):
            return matches
        for sent in self._anchored_sentences(doc):
            matches.extend((key, start + sent.start, end + sent.start)
                           for key, start, end in self.anchored(sent))
        return matches

    def _anchored_sentences(self, doc: Doc) -> list[Span]:
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
