"""Anchored token patterns: the Matcher's matches inside sentences, found only where anchored."""

import spacy
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc

from belnlp.nlp.components.anchors import (
    AnchoredDependencyMatcher,
    AnchoredMatcher,
    WindowedMatcher,
    dependency_anchors,
    pattern_anchors,
)

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


def test_every_mandatory_token_that_names_its_words_is_an_anchor():
    assert pattern_anchors(PATTERNS["ago"]) == [
        ("LOWER", frozenset({"years", "decades"})), ("LOWER", frozenset({"ago"}))]
    assert pattern_anchors(PATTERNS["strike"]) == [("LEMMA", frozenset({"strike"}))]
    assert pattern_anchors([{"ORTH": "Zapad", "OP": "?"}, {"LIKE_NUM": True}]) == []
    assert pattern_anchors([{"ORTH": "Nord"}, {"TEXT": {"REGEX": "^Str"}}]) == [
        ("LOWER", frozenset({"nord"}))]


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


def test_a_sentence_needs_every_anchor_of_a_pattern():
    nlp = spacy.blank("en")
    anchored = AnchoredMatcher(nlp.vocab)
    anchored.add("ago", PATTERNS["ago"])
    doc = _doc(nlp)
    assert [(sent.start, patterns) for sent, patterns in anchored.anchors.sentences(doc)] == [
        (0, [0])]
    assert "ago" in WORDS[10:]  # the second sentence has "ago" but neither "years" nor "decades"


def test_a_doc_without_an_anchor_is_not_matched():
    nlp = spacy.blank("en")
    anchored = AnchoredMatcher(nlp.vocab)
    anchored.add("ago", PATTERNS["ago"])
    doc = Doc(nlp.vocab, words=["Two", "decades", "later", "."],
              sent_starts=[True, False, False, False])
    assert anchored(doc) == [] and len(anchored) == 1


def test_dependency_patterns_are_anchored_only_on_tree_relations():
    tree = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": ["share", "bind"]}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "noun",
             "RIGHT_ATTRS": {"LEMMA": "history", "DEP": "dobj"}}]
    assert dependency_anchors(tree) == [("LEMMA", frozenset({"share", "bind"})),
                                        ("LEMMA", frozenset({"history"}))]
    precedes = [tree[0], {**tree[1], "REL_OP": "."}]
    assert dependency_anchors(precedes) == []


def test_dependency_matches_are_the_dependency_matchers():
    nlp = spacy.blank("en")
    pattern = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "strike"}},
               {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "object",
                "RIGHT_ATTRS": {"LOWER": "tanks"}}]
    anchored, plain = AnchoredDependencyMatcher(nlp.vocab), DependencyMatcher(nlp.vocab)
    anchored.add("hit", pattern)
    plain.add("hit", [pattern])
    words = ["Drones", "struck", "tanks", ".", "Missiles", "struck", "old", "tanks", "."]
    doc = Doc(nlp.vocab, words=words, heads=[1, 1, 1, 1, 5, 5, 7, 5, 5],
              deps=["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "amod", "dobj", "punct"],
              lemmas=["drone", "strike", "tank", ".", "missile", "strike", "old", "tank", "."])
    expected = sorted((key, sorted(ids)) for key, ids in plain(doc))
    assert sorted((key, sorted(ids)) for key, ids in anchored(doc)) == expected
    assert [ids for _, ids in expected] == [[1, 2], [5, 7]]


WINDOWED = {
    "exercise": [{"TEXT": {"REGEX": "^Zapad([-–]\\d{2,4})?$"}},
                 {"TEXT": {"REGEX": "^(19|20)\\d{2}$"}, "OP": "?"}],
    "pipeline": [{"ORTH": "Nord"}, {"ORTH": "Stream"}, {"ORTH": {"IN": ["1", "2"]}, "OP": "?"}],
    "west": [{"LOWER": "the"}, {"ORTH": "West"}],
    "language": [{"ORTH": {"IN": ["Russian", "Polish"]}}, {"LOWER": "language"}],
}


def test_windowed_matches_are_the_matchers_in_its_order():
    nlp = spacy.blank("en")
    plain = Matcher(nlp.vocab)
    for key, pattern in WINDOWED.items():
        plain.add(key, [pattern])
    windowed = WindowedMatcher(plain, list(WINDOWED.values()))
    doc = nlp("Zapad-2021 and Zapad 2017 near Nord Stream 2 worried the West . Nord Stream "
              "Russian language , THE West and Polish Language ; Zapad")
    assert windowed.anchors is not None
    assert windowed(doc) == plain(doc)
    assert len(windowed(doc)) == 11
    assert all(stop - start < len(doc) for start, stop in windowed.windows(doc))


def test_unbounded_or_unanchored_patterns_match_the_whole_doc():
    nlp = spacy.blank("en")
    for pattern in ([{"ORTH": "Nord"}, {"IS_ALPHA": True, "OP": "+"}],
                    [{"IS_DIGIT": True}, {"IS_ALPHA": True}]):
        plain = Matcher(nlp.vocab)
        plain.add("key", [pattern])
        windowed = WindowedMatcher(plain, [pattern])
        assert windowed.anchors is None
        doc = nlp("Nord Stream runs 2 ways")
        assert windowed(doc) == plain(doc)
