"""Anchored token patterns: the Matcher's matches inside sentences, found only where anchored."""

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from belnlp.nlp.components.anchors import AnchoredMatcher, pattern_anchors

PATTERNS = {
    "ago": [{"LIKE_NUM": True}, {"LOWER": {"IN": ["years", "decades"]}}, {"LOWER": "ago"}],
    "strike": [{"LOWER": {"IN": ["drone", "missile"]}, "OP": "?"}, {"LEMMA": "strike"}],
    "number": [{"LIKE_NUM": True}, {"LOWER": "tanks"}, {"ORTH": "rolled", "OP": "?"}],
    "bare": [{"LIKE_NUM": True}, {"IS_PUNCT": True}],
}
WORDS = ["Two", "decades", "ago", ",", "drone", "strikes", "hit", "5", "tanks", ".",
         "Then", "missile", "struck", "3", ",", "never", "ago", "."]
LEMMAS = ["two", "decade", "ago", ",", "drone", "strike", "hit", "5", "tank", ".",
          "then", "missile", "strike", "3", ",", "never", "ago", "."]
STARTS = [True] + [False] * 9 + [True] + [False] * 7


def _doc(nlp, sent_starts=STARTS):
    return Doc(nlp.vocab, words=WORDS, lemmas=LEMMAS, sent_starts=sent_starts)


def test_anchors_avoid_stop_words_and_prefer_word_forms_to_lemmas():
    vocab = spacy.blank("en").vocab
    since = [{"LOWER": "in"}, {"LOWER": {"IN": ["conflict", "conflicts"]}}]
    assert pattern_anchors(since, vocab) == ("LOWER", frozenset({"conflict", "conflicts"}))
    perfect = [{"LEMMA": "have"}, {"LOWER": {"IN": ["long", "always"]}}]
    assert pattern_anchors(perfect, vocab) == ("LOWER", frozenset({"long", "always"}))
    assert pattern_anchors(PATTERNS["strike"], vocab) == ("LEMMA", frozenset({"strike"}))
    assert pattern_anchors([{"ORTH": "Zapad", "OP": "?"}, {"LIKE_NUM": True}], vocab) is None


def test_matches_are_the_matchers_within_sentences():
    nlp = spacy.blank("en")
    anchored, plain = AnchoredMatcher(nlp.vocab), Matcher(nlp.vocab)
    for key, pattern in PATTERNS.items():
        anchored.add(key, pattern)
        plain.add(key, [pattern])
    doc = _doc(nlp)
    expected = sorted(plain(doc))
    assert sorted(anchored(doc)) == expected
    keys = {nlp.vocab.strings[key] for key, _, _ in expected}
    assert keys == {"ago", "strike", "number", "bare"}


def test_a_match_across_a_sentence_boundary_is_not_sought():
    nlp = spacy.blank("en")
    anchored = AnchoredMatcher(nlp.vocab)
    anchored.add("ago", PATTERNS["ago"])
    starts = list(STARTS)
    starts[1] = True  # "Two | decades ago"
    matches = anchored(_doc(nlp, starts))
    assert matches == []
    assert [(s, e) for _, s, e in anchored(_doc(nlp))] == [(0, 3)]


def test_a_doc_without_an_anchor_is_not_matched():
    nlp = spacy.blank("en")
    anchored = AnchoredMatcher(nlp.vocab)
    anchored.add("ago", PATTERNS["ago"])
    doc = Doc(nlp.vocab, words=["Two", "decades", "later", "."],
              sent_starts=[True, False, False, False])
    assert anchored(doc) == [] and len(anchored) == 1
