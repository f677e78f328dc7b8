"""References across sentences: each rule on sentences written for the purpose, the actors and
categories that claims take through them, the lookup by span, and the cue file's checks."""

import pytest

from belnlp.nlp.extract.claims import build_claims
from belnlp.nlp.extract.references import CONTEXT_CATEGORIES, CueError, load_cues, resolve
from belnlp.views.inspect import Filters, load, select, summary


def refs(nlp, text):
    """(anaphor, antecedent, actor, rule) of every reference in `text`."""
    doc = nlp(text)
    found = resolve(doc, doc._.belnlp_evidence, context_categories=CONTEXT_CATEGORIES)
    return [(text[r.start:r.end], text[r.antecedent_start:r.antecedent_end], r.actor, r.rule)
            for r in found.items]


def claims(nlp, text):
    from belnlp.ingest.structure import Structure

    doc = nlp(text)
    structure = Structure(title=None, subtitle=None, author=None, date=None,
                          body=[(0, len(text))], furniture=[])
    return [claim.to_record() for claim in build_claims(
        doc, doc_id="d", source="-", title=None, structure=structure, provenance={})]


def test_it_refers_to_the_country_named_before(nlp):
    assert refs(nlp, "Belarus hosts many tourists from China. It welcomes them warmly.") == [
        ("It", "Belarus", "BLR", "ref.pronoun.it"),
        ("them", "many tourists", None, "ref.pronoun.they"),
    ]


def test_a_possessive_refers_within_the_sentence(nlp):
    assert refs(nlp, "Lithuania closed its border with Belarus.") == [
        ("its", "Lithuania", "LTU", "ref.pronoun.it")]


def test_they_refers_to_conjoined_names_and_gives_both_actors(nlp):
    found = refs(nlp, "Poland and Lithuania closed the border. They blamed Minsk.")
    assert found == [("They", "Poland", "POL", "ref.pronoun.they"),
                     ("They", "Lithuania", "LTU", "ref.pronoun.they")]


def test_she_and_he_refer_to_people_only(nlp):
    assert refs(nlp, "Maia Sandu spoke in Brussels. She said that Moldova would join.") == [
        ("She", "Maia Sandu", "MDA", "ref.pronoun.person")]
    # no person before: "she" stays unresolved rather than taking a country
    assert refs(nlp, "Belarus said the vote was fair. Lithuania rejected that, and she "
                     "said so.") == []


def test_a_dummy_it_refers_to_nothing(nlp):
    assert refs(nlp, "Russia sent troops. It is clear that the sanctions work. It seems that "
                     "Minsk agrees.") == []


def test_the_alliance_generalises_nato(nlp):
    assert refs(nlp, "NATO met in Vilnius. The alliance promised more air defence.") == [
        ("The alliance", "NATO", "NATO", "ref.noun.alliance")]


def test_the_regime_stands_for_the_leader_named_before(nlp):
    assert refs(nlp, "Lukashenko met the Chinese envoy. The regime wants new partners.") == [
        ("The regime", "Lukashenko", "BLR", "ref.noun.government")]


def test_a_definite_noun_that_repeats_an_earlier_head(nlp):
    found = refs(nlp, "Minsk signed the gas deal with Moscow in May. Vilnius says the deal "
                      "is secret.")
    assert ("the deal", "the gas deal", None, "ref.definite") in found


@pytest.mark.parametrize(("text", "expected"), [
    ("Kazakhstan sells uranium to France. The country wants more buyers.",
     ("The country", "Kazakhstan", "KAZ", "ref.noun.country")),
    ("Moldova signed a deal with Romania. This country wants closer ties.",
     ("This country", "Moldova", "MDA", "ref.noun.country")),
    ("Gazprom cut deliveries to Armenia. The company blamed the weather.",
     ("The company", "Gazprom", None, "ref.noun.company")),
    ("Lukashenko visited Beijing in May. The president signed six accords.",
     ("The president", "Lukashenko", "BLR", "ref.noun.person")),
    ("Protesters gathered in Warsaw last week. The city is calm now.",
     ("The city", "Warsaw", None, "ref.noun.place")),
    ("The OSCE sent observers to Tbilisi. The organisation found no fraud.",
     ("The organisation", "OSCE", "OSCE", "ref.noun.organisation")),
    # a word of a name is repeated: that wins over any generalisation
    ("Armenia joined the Eurasian Economic Union. The union has five members.",
     ("The union", "Eurasian Economic Union", "EAEU", "ref.definite")),
])
def test_a_generalising_noun_refers_to_a_name_of_its_kind(nlp, text, expected):
    assert refs(nlp, text) == [expected]


def test_the_two_countries_and_both_nations_refer_to_the_last_two_actors(nlp):
    assert refs(nlp, "Armenia and Azerbaijan signed a treaty. Both nations praised "
                     "Washington.") == [("Both nations", "Armenia", "ARM", "ref.pair"),
                                        ("Both nations", "Azerbaijan", "AZE", "ref.pair")]
    found = refs(nlp, "Georgia talks to Turkey about a railway. The two countries want it "
                      "soon.")
    assert [(a, b, c) for a, b, c, rule in found if rule == "ref.pair"] == [
        ("The two countries", "Georgia", "GEO"), ("The two countries", "Turkey", "TUR")]


def test_a_demonstrative_with_a_generic_noun_points_to_evidence_before(nlp):
    assert refs(nlp, "Russia moved Iskander missiles to Belarus. These systems can reach "
                     "Warsaw.") == [("These systems", "Iskander missiles", None,
                                     "ref.demonstrative.evidence")]


def test_a_generic_noun_can_point_back_within_its_sentence(nlp):
    found = refs(nlp, "Minsk buys Russian oil and gas, often receiving these resources at low "
                      "prices.")
    assert [(a, b, rule) for a, b, _, rule in found] == [
        ("these resources", "Russian oil", "ref.demonstrative.evidence"),
        ("these resources", "gas", "ref.demonstrative.evidence")]


def test_a_bare_this_refers_to_the_previous_sentence(nlp):
    text = "Minsk raised the tariffs. This surprised Vilnius."
    assert refs(nlp, text) == [("This", "Minsk raised the tariffs.", None,
                                "ref.demonstrative.previous")]


def test_the_event_after_a_named_exercise_is_military_with_the_antecedent_shown(nlp):
    text = "Zapad 2021 rehearsed a war with NATO. The event draws many observers."
    second = claims(nlp, text)[1]
    assert second["categories"] == ["military"]
    [evidence] = second["evidence"]
    assert evidence == {"category": "military", "rule": "context.noun.event",
                        "match": "The event", "start": 38, "end": 47,
                        "antecedent": {"text": "Zapad 2021", "start": 0, "end": 10}}
    assert text[evidence["start"]:evidence["end"]] == "The event"


def test_it_after_a_pipeline_is_economic(nlp):
    second = claims(nlp, "The new pipeline will carry Azerbaijani gas to Europe. It will open "
                         "next year.")[1]
    assert second["categories"] == ["economic"]
    assert second["evidence"][0]["rule"] == "context.pronoun.it"
    assert second["references"][0]["antecedent"]["text"] == "The new pipeline"


def test_a_reference_adds_no_category_its_antecedent_lacks(nlp):
    second = claims(nlp, "Belarus hosts many tourists from China. It welcomes them "
                         "warmly.")[1]
    assert second["categories"] == []
    assert second["evidence"] == []


def test_historical_is_not_taken_through_a_reference(nlp):
    first, second = claims(nlp, "The Soviet Union built the air base near Minsk in 1975. "
                                "The base still stands.")
    assert "historical" in first["categories"]
    assert second["categories"] == ["military"]
    assert second["evidence"][0]["rule"] == "context.definite"


def test_relation_arguments_take_the_antecedents_actor(nlp):
    second = claims(nlp, "Belarus hosts many tourists from China. It welcomes them "
                         "warmly.")[1]
    assert second["relations"][0]["subject"]["text"] == "It"
    assert second["relations"][0]["subject"]["actor"] == "BLR"
    assert second["references"][0] == {
        "text": "It", "start": 40, "end": 42,
        "antecedent": {"text": "Belarus", "start": 0, "end": 7, "actor": "BLR"},
        "rule": "ref.pronoun.it"}


def test_a_title_refers_to_a_person_only_in_the_same_number(nlp):
    assert refs(nlp, "Lukashenko met the governors. The leader praised them.")[0] == (
        "The leader", "Lukashenko", "BLR", "ref.noun.person")
    assert refs(nlp, "Lukashenko refused to release the jailed leaders.") == []


def test_an_event_takes_its_actors_through_references(nlp):
    second = claims(nlp, "Lithuania has reinforced its border. In June it accused Belarus of "
                         "sending migrants.")[1]
    [relation] = [r for r in second["relations"] if "event" in r]
    assert relation["subject"]["text"] == "it"
    assert (relation["event"]["source"], relation["event"]["type"],
            relation["event"]["target"]) == ("LTU", "ACCUSE", "BLR")


def test_only_an_anaphor_heading_an_argument_gives_it_an_actor(nlp):
    [praised] = claims(nlp, "Poland praised its farmers.")[0]["relations"]
    assert (praised["object"]["text"], praised["object"]["actor"]) == ("its farmers", None)
    [freed] = claims(nlp, "Moldova has freed itself from old debts.")[0]["relations"]
    assert (freed["object"]["text"], freed["object"]["actor"]) == ("itself", None)


def test_inspect_counts_and_finds_actors_through_references(nlp):
    records = claims(nlp, "Armenia and Azerbaijan signed a treaty. Both nations praised "
                          "Washington.")
    tables = load(records)
    [second] = select(tables, Filters(actor="aze")).records[1:] or [None]
    assert second is not None and second["text"].startswith("Both nations")
    frame = summary(tables).frame
    actors = frame[frame["section"] == "actors"].set_index("key")["count"]
    assert actors["ARM"] == 2 and actors["AZE"] == 2


def test_antecedents_of_a_token_or_span(nlp):
    doc = nlp("Maia Sandu spoke in Brussels. She said that Moldova would join.")
    found = resolve(doc)
    she = next(token for token in doc if token.text == "She")
    [ref] = found.antecedents(she)
    assert (doc.text[ref.antecedent_start:ref.antecedent_end], ref.actor) == ("Maia Sandu",
                                                                               "MDA")
    assert found.antecedents(doc[0:2]) == []


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "x", "kind": "pronoun"}', "'words' must be a non-empty list"),
    ('{"id": "x", "kind": "guess", "words": ["it"]}', "unknown kind 'guess'"),
    ('{"id": "x", "kind": "pronoun", "words": ["it"], "colour": 1}', "unknown key(s)"),
    ('{"id": "x", "kind": "noun", "nouns": ["bloc"], "types": ["animal"]}', "unknown type"),
    ('{"id": "x", "kind": "noun", "nouns": ["bloc"], "number": "dual"}', "'number' must be"),
    ('{"id": "x", "kind": "pronoun", "words": ["it"], "number": "agree"}', "its own"),
    ('{"id": "x", "kind": "pronoun", "words": ["it"]', "not valid JSON"),
])
def test_a_bad_cue_file_names_file_line_and_problem(tmp_path, line, problem):
    path = tmp_path / "cues.jsonl"
    path.write_text('{"id": "ok", "kind": "definite", "words": ["the"]}\n' + line + "\n",
                    encoding="utf-8")
    with pytest.raises(CueError) as caught:
        load_cues(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    assert problem in str(caught.value)


def test_the_packaged_cues_load():
    cues = load_cues()
    assert cues.pronouns["its"].id == "ref.pronoun.it"
    assert cues.nouns["alliance"].id == "ref.noun.alliance"
    assert cues.pair is not None and "nations" in cues.pair.nouns
