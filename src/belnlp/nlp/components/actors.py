"""Canonical actors on entities (spec §3), from the editable alias table data/aliases.jsonl.

Each alias record is {"actor", "kind", "names"}; the kind says what a name is (a country,
its capital, a seat of power, a leader, a demonym, an organisation, a historical polity)
and so which entity label it must carry. Capitals stand for governments except where the
sentence uses them as mere places ("a protest in Minsk"). Countries the table does not
list are found by their ISO 3166 names through pycountry. A record whose actor is null fixes
the label but gives no actor: a polity that no longer exists acts for no present-day state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from belnlp.jsonl import data_file, numbered_records

ALIAS_KEYS = frozenset({"actor", "kind", "names", "note"})
KIND_LABELS = {
    "country": "GPE",
    "polity": "GPE",
    "capital": "GPE",
    "seat": None,
    "leader": "PERSON",
    "demonym": "NORP",
    "organisation": "ORG",
}
ACTOR_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "FAC", "LOC", "EVENT"})
LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "around", "across", "throughout", "within",
     "through", "via", "into", "outside of"}
)
#: Nouns for which a capital stands for its government: "the regime in Minsk", "Moscow officials".
GOVERNMENT_NOUNS = frozenset({"government", "regime", "authority", "authorities", "leadership",
                              "official", "officials", "administration", "elite", "ruler",
                              "establishment", "policy", "diplomat", "diplomacy", "leader",
                              "decision", "position", "stance", "line", "narrative", "rhetoric",
                              "propaganda", "claim", "demand", "pressure", "support", "ally",
                              "allies", "strategy", "thinking", "view", "circle", "circles"})
ISO_CACHE_SIZE = 4096  # ISO lookups of entity names kept (hits are few distinct names)
ACTOR_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")  # "Union-State" is "Union State"
POSSESSIVE_RE = re.compile(r"(?:['’]s?|['’])$")


class AliasError(ValueError):
    """An alias table that cannot be used; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Alias:
    actor: str
    kind: str


def normalise(name: str) -> str:
    """Lookup key for a name: no leading "the", no possessive, folded case and spaces, a hyphen
    between words as a space."""
    name = " ".join(HYPHEN_RE.sub(" ", name).split())
    name = POSSESSIVE_RE.sub("", name)
    if name.lower().startswith("the "):
        name = name[4:]
    return name.casefold()


#: normalise for entity texts, which repeat within and across documents; shared by the
#: components so that a name is normalised once per process (bounded: a long run meets
#: endless new names).
normalised = lru_cache(maxsize=65536)(normalise)


def load_aliases(path: str | Path | None = None) -> dict[str, Alias]:
    """Read and validate an alias table (the packaged one by default)."""
    return data_file(path, "aliases.jsonl", _parse_aliases, AliasError, "alias file")


def _parse_aliases(text: str, name: str) -> dict[str, Alias]:
    table: dict[str, Alias] = {}
    for record, where in numbered_records(text.split("\n"), name, AliasError):
        if not isinstance(record, dict):
            raise AliasError(f"{where}: a record must be a JSON object")
        unknown = set(record) - ALIAS_KEYS
        if unknown:
            raise AliasError(f"{where}: unknown key(s) {sorted(unknown)}")
        actor, kind, names = record.get("actor"), record.get("kind"), record.get("names")
        if actor is not None and (not isinstance(actor, str) or not ACTOR_RE.match(actor)):
            raise AliasError(f"{where}: 'actor' must be an upper-case id or null, got {actor!r}")
        if kind not in KIND_LABELS:
            raise AliasError(f"{where}: unknown kind {kind!r} (one of {sorted(KIND_LABELS)})")
        if not isinstance(names, list) or not names or not all(
            isinstance(n, str) and n.strip() for n in names
        ):
            raise AliasError(f"{where}: 'names' must be a non-empty list of strings")
        for alias_name in names:
            key = normalise(alias_name)
            previous = table.get(key)
            if previous is not None and previous.actor != actor:
                raise AliasError(
                    f"{where}: {alias_name!r} already maps to {previous.actor}, not {actor}"
                )
            table[key] = Alias(actor, kind)
    return table


@Language.factory("belnlp_actors", default_config={"aliases": None})
def make_actors(nlp: Language, name: str, *, aliases: str | None) -> Actors:
    return Actors(load_aliases(aliases))


class Actors:
    """Sets `ent._.actor` on every entity and fixes labels that the alias kind decides."""

    def __init__(self, table: dict[str, Alias]) -> None:
        if not Span.has_extension("actor"):
            Span.set_extension("actor", default=None)
        self.table = table

    def __call__(self, doc: Doc) -> Doc:
        relabelled = []
        changed = False
        for ent in doc.ents:
            alias = self.lookup(ent)
            label = KIND_LABELS.get(alias.kind) if alias else None
            if label and label != ent.label_ and ent.label_ in ACTOR_LABELS:
                ent = Span(doc, ent.start, ent.end, label=label, kb_id=ent.kb_id_,
                           span_id=ent.id_)
                changed = True
            relabelled.append((ent, alias))
        if changed:
            doc.ents = [ent for ent, _ in relabelled]
        for ent, alias in relabelled:
            if alias is not None and not (alias.kind == "capital" and is_place(ent)):
                ent._.actor = alias.actor
        return doc

    def lookup(self, ent: Span) -> Alias | None:
        """The alias for an entity: its whole text, else (for people) its surname."""
        if ent.label_ not in ACTOR_LABELS:
            return None
        name = normalised(ent.text)
        alias = self.table.get(name)
        if alias is None and ent.label_ == "PERSON" and len(ent) > 1:
            alias = self.table.get(normalised(ent[-1].text))
        if alias is None and ent.label_ == "GPE":
            alias = iso_country(name)
        if alias is None and ent.label_ == "ORG":
            from belnlp.nlp.components.name_shapes import state_of_body

            alias = state_of_body(ent, self.table)  # "Russian Ministry of Defence" → RUS
        return alias


@lru_cache(maxsize=ISO_CACHE_SIZE)  # bounded: a long run meets endless new entity names
def iso_country(name: str) -> Alias | None:
    """Countries beyond the alias table by their ISO 3166 names (exact names only)."""
    import pycountry

    try:
        return Alias(pycountry.countries.lookup(name).alpha_3, "country")
    except LookupError:
        return None


def is_place(ent: Span) -> bool:
    """True when the sentence uses the name as a location: the object of "in", "at", ...
    ("a protest in Minsk", but "the government in Minsk"), or a modifier of a noun that is
    no seat of power ("the Minsk conference", but "the Minsk regime")."""
    head = ent.root.head
    if ent.root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS:
        return head.head.lemma_ not in GOVERNMENT_NOUNS
    if ent.root.dep_ in ("compound", "amod", "nmod") and head.pos_ in ("NOUN", "PROPN"):
        return head.lemma_ not in GOVERNMENT_NOUNS
    return False
