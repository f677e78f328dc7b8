"""Names by shape: designations are PRODUCT, official bodies one ORG, regions LOC/GPE."""

import pytest

from belnlp.nlp.components.name_shapes import ShapeError, load_shapes


def ents(nlp, text):
    return {ent.text: ent.label_ for ent in nlp(text).ents}


@pytest.mark.parametrize("designation", ["Tor-M2", "MiG-31Ks", "Kh-47M2", "T-90M", "S-400",
                                         "Su-35s", "Tu-22M3"])
def test_equipment_designations_are_products_by_shape(nlp, designation):
    text = f"The brigade received new {designation} last spring, officials said."
    assert ents(nlp, text).get(designation) == "PRODUCT"


def test_a_designation_of_an_unseen_system_is_a_product(nlp):
    # No list names "Zr-77K": the shape alone decides.
    assert ents(nlp, "Engineers tested the Zr-77K near the border.").get("Zr-77K") == "PRODUCT"


@pytest.mark.parametrize("text, name", [
    ("Leaders met at the G-20 in the autumn.", "G-20"),
    ("Hospitals struggled with COVID-19 for two years.", "COVID-19"),
])
def test_look_alikes_are_not_products(nlp, text, name):
    assert ents(nlp, text).get(name) != "PRODUCT"


@pytest.mark.parametrize("body", [
    "Supreme Eurasian Economic Council",
    "Russian Ministry of Defence",
    "European Bank for Reconstruction and Development",
    "Federal Assembly of the Russian Federation",
    "British Army",
    "Belarusian State Security Committee",
    "Polish National Bank",
])
def test_official_bodies_stay_one_org(nlp, body):
    text = f"On Tuesday the {body} issued a statement on the border."
    assert ents(nlp, text).get(body) == "ORG"


def test_a_capitalised_sentence_opener_is_not_part_of_a_body(nlp):
    found = ents(nlp, "Unspecified Russian Naval Infantry units arrived at the port.")
    assert found.get("Russian Naval Infantry") == "ORG"


def test_a_state_organ_named_with_its_country_has_that_actor(nlp):
    doc = nlp("The Russian Ministry of Defence denied the report.")
    body = next(ent for ent in doc.ents if ent.text == "Russian Ministry of Defence")
    assert body._.actor == "RUS"


def test_a_church_named_with_a_country_has_no_actor(nlp):
    doc = nlp("The Russian Orthodox Church backed the campaign.")
    church = next(ent for ent in doc.ents if ent.text == "Russian Orthodox Church")
    assert church.label_ == "ORG" and church._.actor is None


def test_a_state_organ_without_its_state_belongs_to_the_state_last_named(nlp):
    doc = nlp("Belarus announced new drills. The Defence Ministry said troops would move.")
    body = next(ent for ent in doc.ents if ent.text == "Defence Ministry")
    assert body._.actor == "BLR"


def test_a_supranational_body_takes_no_state_from_context(nlp):
    doc = nlp("Belarus protested. The European Court of Human Rights ruled against it.")
    court = next(ent for ent in doc.ents if "Court" in ent.text)
    assert court._.actor != "BLR"


@pytest.mark.parametrize("text, official, actor", [
    ("Russia’s ambassador to the UK, Igor Vassilenko, rejected the claims.", "Igor Vassilenko",
     "RUS"),
    ("Russia faces new sanctions. State Duma Chairman Pyotr Karasin announced a session.",
     "Pyotr Karasin", "RUS"),
])
def test_an_official_titled_by_a_state_acts_for_it(nlp, text, official, actor):
    doc = nlp(text)
    person = next(ent for ent in doc.ents if ent.text == official)
    assert person._.actor == actor


def test_a_compass_word_before_a_country_makes_a_region(nlp):
    assert ents(nlp, "Troops gathered in Western Belarus in May.").get("Western Belarus") \
        == "LOC"


def test_a_proper_noun_before_oblast_is_a_region(nlp):
    assert ents(nlp, "Shelling hit Zaporizhzhia Oblast overnight.").get(
        "Zaporizhzhia Oblast") == "GPE"


def test_an_acronym_of_common_nouns_is_no_name(nlp):
    text = ("Russia tested its integrated air defence (IAD) network. "
            "The IAD network covers Minsk.")
    assert "IAD" not in ents(nlp, text)


def test_pro_and_anti_prefixes_are_not_part_of_the_name(nlp):
    found = ents(nlp, "The pro-Western parties lost to anti-European ones.")
    assert found.get("Western") == "NORP" and found.get("European") == "NORP"


def test_a_bad_shape_file_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "shapes.json"
    path.write_text('{"designation": "([A-Z"}', encoding="utf-8")
    with pytest.raises(ShapeError, match="shapes.json"):
        load_shapes(path)


@pytest.mark.parametrize("text", [
    "Fighting spread from Western Ukraine to eastern Kharkiv Oblast and the Lviv Oblast.",
    "Western Kharkiv Oblast region, North Minsk Region and Western Belarus met in Southern "
    "Europe.",
])
def test_region_windows_find_what_the_matcher_finds_in_its_order(nlp, text):
    shapes = nlp.get_pipe("belnlp_name_shapes")
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == "belnlp_name_shapes":
            break
        doc = proc(doc)
    plain = [(s.start, s.end, s.label_) for s in shapes._matches(doc, shapes.regions)]
    assert plain
    assert [(s.start, s.end, s.label_) for s in shapes.region_matches(doc)] == plain
