"""The spaCy pipeline on small literal sentences: names whole, labels right, actors set."""

import pytest

from belnlp.nlp.components.actors import Actors, normalise
from belnlp.nlp.pipeline import ModelNotFound, build_nlp


def ents(nlp, text):
    return [(e.text, e.label_, e._.actor) for e in nlp(text).ents]


@pytest.mark.parametrize("text", [
    "Belarus’s participation has been limited.",
    "Belarus’ strategic options are narrow.",
    "Belarus's economy depends on Russia's market.",
    "The EU’s approach to Belarus will shape Moscow’s response.",
])
def test_possessives_never_end_up_inside_names(nlp, text):
    found = ents(nlp, text)
    assert found, text
    assert not any(t.endswith(("’", "'", "’s", "'s")) for t, _, _ in found)


def test_belarus_is_always_gpe(nlp):
    for text in ["Belarus, situated at the crossroads of Eastern Europe, faces choices.",
                 "Belarus’ regional partnerships are influenced by Russia.",
                 "Belarus is heavily aligned with Russia.",
                 "Belarus benefits from trade agreements within the CIS."]:
        labels = {label for t, label, _ in ents(nlp, text) if t == "Belarus"}
        assert labels == {"GPE"}, text


def test_domain_names_whole_and_rightly_labelled(nlp):
    found = ents(nlp, "At the end of April, Belarus revised its Military Doctrine and National "
                      "Security Concept after the Zapad exercises and the 2020 election, and "
                      "the CSTO and EU-Belarus relations came up.")
    assert ("Military Doctrine", "LAW", None) in found
    assert ("National Security Concept", "LAW", None) in found
    assert ("Zapad", "EVENT", None) in found
    assert ("CSTO", "ORG", "CSTO") in found
    assert ("2020", "DATE", None) in found
    assert ("EU", "ORG", "EU") in found and ("Belarus", "GPE", "BLR") in found


def test_actors_for_seats_leaders_demonyms(nlp):
    found = ents(nlp, "The Kremlin welcomed the move, and Lukashenko thanked Putin for Russian "
                      "oil while Minsk’s officials stayed quiet.")
    actors = {t: a for t, _, a in found}
    assert actors["Kremlin"] == "RUS"
    assert actors["Lukashenko"] == "BLR" and actors["Putin"] == "RUS"
    assert actors["Russian"] == "RUS" and actors["Minsk"] == "BLR"


def test_a_capital_used_as_a_place_has_no_actor(nlp):
    found = ents(nlp, "Thousands joined a protest in Minsk in 1999.")
    assert ("Minsk", "GPE", None) in found


def test_alias_names_are_normalised():
    assert normalise("the Kremlin’s") == normalise("Kremlin") == "kremlin"
    assert normalise("Belarus’") == "belarus"


def test_missing_model_gives_a_one_line_install_hint():
    with pytest.raises(ModelNotFound, match=r"pip install"):
        build_nlp("en_core_web_nonexistent")


def test_components_work_in_a_users_own_pipeline():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("belnlp_line_breaks")
    doc = nlp("A title\n\nBelarus, a country, exists. It trades.")
    assert doc[3].is_sent_start and doc[4].is_sent_start is False
    assert isinstance(nlp.add_pipe("belnlp_actors"), Actors)


def test_countries_beyond_the_alias_table_get_their_iso_code(nlp):
    actors = {t: a for t, _, a in ents(nlp, "Flights from Syria and Iraq reached Norway.")}
    assert actors == {"Syria": "SYR", "Iraq": "IRQ", "Norway": "NOR"}


def test_a_demonym_spoken_is_a_language_not_an_actor(nlp):
    found = ents(nlp, "Many Belarusians speak Russian at home, and Russian oil flows west.")
    assert found[0] == ("Belarusians", "NORP", "BLR")
    assert ("Russian", "LANGUAGE", None) in found and ("Russian", "NORP", "RUS") in found
    found = ents(nlp, "This history fostered ties, with Russian widely spoken in Belarus.")
    assert ("Russian", "LANGUAGE", None) in found


def test_a_polity_that_no_longer_exists_is_labelled_but_acts_for_no_state(nlp):
    found = ents(nlp, "The Soviet Union collapsed, and Soviet troops left Lithuania.")
    assert ("Soviet Union", "GPE", None) in found
    assert ("Soviet", "NORP", None) in found
    assert ("Lithuania", "GPE", "LTU") in found
