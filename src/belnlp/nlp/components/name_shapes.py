"""Names by their shape: equipment designations (PRODUCT), official bodies (ORG), regions (LOC).

en_core_web_sm tags "Tor-M2" or "Kh-47M2" as ORG, GPE or DATE, cuts "Russian Ministry of
Defence" down to "Russian", and reads "Western Belarus" as the country. These are shapes,
not names to list: letters-hyphen-digits with an optional suffix and plural; a title-case
chain under the head noun of a body ("Ministry", "Council", "Army"), continued by "of",
"of the" or "for" and another chain; a compass adjective before a country. The shapes are
data (data/cues/name_shapes.json), compiled once per pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import ENT_TYPE, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from belnlp.jsonl import data_file, json_object
from belnlp.nlp.components.actors import Alias, normalised

SHAPE_KEYS = frozenset({"_doc", "designation", "not_designations", "body_heads",
                        "state_heads", "supranational", "official_titles", "body_connectors",
                        "directions", "region_heads"})
#: Alias kinds that name a state, inside the name of one of its organs.
STATE_KINDS = frozenset({"country", "demonym"})
STATE_LABELS = frozenset({"GPE", "NORP"})
#: Dependents of a title that say whose official it is: "Russia's", "Russian", "Duma".
OWNER_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
#: A token that may stand in the title-case chain of a body's name ("98th", "VDV", "Arms").
CHAIN_TOKEN = r"^(?:[A-Z][\w’'.-]*|\d+(?:st|nd|rd|th))$"
#: Entities a body's name may swallow; a person or date inside the chain ends it.
NOT_IN_CHAIN = ["PERSON", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"]
#: Capitalised function words that never start or continue a body's name.
CHAIN_STOPS = ["the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her",
               "our", "in", "on", "at", "for", "of", "and", "or", "but", "as", "by", "with",
               "from", "to", "when", "while", "if", "after", "before", "since", "during",
               "under", "over", "it", "they", "we", "he", "she", "there", "both", "all", "some",
               "many", "most", "each", "every", "no", "any", "such", "other", "however"]
#: "(AD)" after lower-case words: an acronym of a common noun.
ACRONYM_RE = re.compile(r"(?<=[a-z]) \(([A-Z]{2,6})\)")
MAX_TAILS = 2
#: Tokens on either side of a head noun that a body's name may span.
WINDOW = 12


class ShapeError(ValueError):
    """A name-shape cue file that cannot be used; the message names the file."""


@dataclass(frozen=True, slots=True)
class Shapes:
    designation: re.Pattern[str]
    not_designations: tuple[re.Pattern[str], ...]
    body_heads: tuple[str, ...]
    state_heads: frozenset[str]
    supranational: frozenset[str]
    official_titles: frozenset[str]
    body_connectors: tuple[str, ...]
    directions: tuple[str, ...]
    region_heads: tuple[str, ...]


def load_shapes(path: str | Path | None = None) -> Shapes:
    """Read and validate a name-shape cue file (the packaged one by default)."""
    return data_file(path, "cues/name_shapes.json", _parse_shapes, ShapeError,
                     "name-shape cue file")


def _parse_shapes(text: str, name: str) -> Shapes:
    raw = json_object(text, name, SHAPE_KEYS, ShapeError)
    for key in ("not_designations", "body_heads", "state_heads", "supranational",
                "official_titles", "body_connectors",
                "directions", "region_heads"):
        if not isinstance(raw[key], list) or not all(isinstance(v, str) and v for v in raw[key]):
            raise ShapeError(f"{name}: {key!r} must be a list of non-empty strings")

    def compile_one(pattern: object, key: str) -> re.Pattern[str]:
        try:
            return re.compile(str(pattern))
        except re.error as exc:
            raise ShapeError(f"{name}: {key}: bad pattern {pattern!r} ({exc})") from None

    return Shapes(
        designation=compile_one(raw["designation"], "designation"),
        not_designations=tuple(compile_one(p, "not_designations")
                               for p in raw["not_designations"]),
        body_heads=tuple(raw["body_heads"]),
        state_heads=frozenset(raw["state_heads"]),
        supranational=frozenset(raw["supranational"]),
        official_titles=frozenset(raw["official_titles"]),
        body_connectors=tuple(raw["body_connectors"]),
        directions=tuple(raw["directions"]),
        region_heads=tuple(raw["region_heads"]),
    )


@Language.factory("belnlp_name_shapes", default_config={"shapes": None})
def make_name_shapes(nlp: Language, name: str, *, shapes: str | None) -> NameShapes:
    return NameShapes(nlp, load_shapes(shapes))


class NameShapes:
    """Relabels or rebuilds entities whose shape says what they are."""

    def __init__(self, nlp: Language, shapes: Shapes) -> None:
        self.shapes = shapes
        self.bodies = Matcher(nlp.vocab, validate=True)
        self.bodies.add("ORG", body_patterns(shapes), greedy="LONGEST")
        self.head_ids = numpy.array([nlp.vocab.strings.add(h) for h in shapes.body_heads],
                                    dtype=numpy.uint64)
        self.regions = Matcher(nlp.vocab, validate=True)
        self.regions.add("LOC", [[{"ORTH": {"IN": list(shapes.directions)}},
                                  {"ENT_TYPE": {"IN": ["GPE", "LOC"]}, "OP": "+"}]],
                         greedy="LONGEST")
        self.regions.add("GPE", [[{"POS": "PROPN", "IS_TITLE": True, "OP": "{1,2}"},
                                  {"ORTH": {"IN": list(shapes.region_heads)}}]],
                         greedy="LONGEST")
        strings = nlp.vocab.strings
        self.direction_ids = numpy.array([strings.add(d) for d in shapes.directions],
                                         dtype=numpy.uint64)
        self.region_head_ids = numpy.array([strings.add(h) for h in shapes.region_heads],
                                           dtype=numpy.uint64)
        self.place_types = numpy.array([strings.add(label) for label in ("GPE", "LOC")],
                                       dtype=numpy.uint64)

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        text = doc.text  # spaCy joins it from every token at each access
        acronyms = set(ACRONYM_RE.findall(text))
        if acronyms:
            ents = [e for e in ents if e.text not in acronyms or e.ent_id_]
        designations = self.designations(doc, text)
        if designations:
            ents = merge(ents, designations, override=True)
        names = [*(trim_start(span) for span in self.body_matches(doc)),
                 *self.region_matches(doc)]
        names = [span for span in names if len(span) > 1]
        if names:
            ents = merge(ents, filter_spans(names), override=False)
        if acronyms or designations or names:
            doc.ents = ents
        return doc

    def designations(self, doc: Doc, text: str) -> list[Span]:
        """Spans of `doc` (whose text is `text`) shaped like equipment designations."""
        spans = []
        for match in self.shapes.designation.finditer(text):
            if any(p.match(match.group()) for p in self.shapes.not_designations):
                continue
            span = doc.char_span(match.start(), match.end(), label="PRODUCT",
                                 alignment_mode="contract")
            if span is not None:
                spans.append(span)
        return spans

    def body_matches(self, doc: Doc) -> list[Span]:
        """Body names, matched only in windows around head nouns: the chain patterns test
        every token with a regular expression, and most tokens are far from any head."""
        heads = numpy.flatnonzero(numpy.isin(doc.to_array([ORTH]).ravel(), self.head_ids))
        windows: list[list[int]] = []
        for head in heads.tolist():
            sent = doc[head].sent
            start, end = max(sent.start, head - WINDOW), min(sent.end, head + WINDOW + 1)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        found = [span for start, end in windows
                 for span in self._matches(doc[start:end], self.bodies)]
        return filter_spans(found)

    def region_matches(self, doc: Doc) -> list[Span]:
        """Region names: what the regions Matcher finds in the Doc, in its order, matched only
        in windows that can hold one (a compass word and the GPE/LOC tokens after it; the two
        words before a region head). Windows that overlap or touch are merged, so no match of
        one window overlaps one of another, and each window's greedy choice is the Doc's; the
        Matcher reports a match at its last token or the next, inside its window, so its
        labels come in the Doc's order of their first match, and each label's spans are
        ordered longest first, as the Matcher orders a greedy label's."""
        orths, types = doc.to_array([ORTH, ENT_TYPE]).T
        in_place = numpy.isin(types, self.place_types).tolist()
        spans = [(max(0, head - 2), head + 1) for head in
                 numpy.flatnonzero(numpy.isin(orths, self.region_head_ids)).tolist()]
        for direction in numpy.flatnonzero(numpy.isin(orths, self.direction_ids)).tolist():
            end = direction + 1
            while end < len(doc) and in_place[end]:
                end += 1
            spans.append((direction, end))
        windows: list[list[int]] = []
        for start, end in sorted(spans):
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        by_label: dict[int, list[Span]] = {}
        for start, end in windows:
            for span in self.regions(doc[start:end], as_spans=True):
                by_label.setdefault(span.label, []).append(span)
        found = [span for label_spans in by_label.values() for span in
                 sorted(label_spans, key=lambda s: (len(s), -s.start), reverse=True)]
        return [span for span in found if len(span) > 1]

    @staticmethod
    def _matches(doc: Doc | Span, matcher: Matcher) -> list[Span]:
        spans = matcher(doc, as_spans=True)
        return [span for span in spans if len(span) > 1]


def state_of_body(ent: Span, table: Mapping[str, Alias], shapes: Shapes | None = None
                  ) -> Alias | None:
    """The state whose organ an ORG names: a state head and a country or demonym inside it."""
    shapes = shapes or load_shapes()
    if ent.label_ != "ORG" or not any(token.text in shapes.state_heads for token in ent):
        return None
    for size in (2, 1):
        for start in range(len(ent) - size + 1):
            alias = table.get(normalised(ent[start:start + size].text))
            if alias is not None and alias.kind in STATE_KINDS:
                return Alias(alias.actor, "organisation")
    return None


@Language.factory("belnlp_body_states", default_config={"aliases": None, "shapes": None})
def make_body_states(nlp: Language, name: str, *, aliases: str | None,
                     shapes: str | None) -> BodyStates:
    from belnlp.nlp.components.actors import load_aliases

    return BodyStates(load_aliases(aliases), load_shapes(shapes))


class BodyStates:
    """A state's organ named without its state ("the Ministry of Defence", "the General
    Staff") belongs to the state the text last named, and an official titled by a state or
    its organ acts for that state; runs after the actors."""

    def __init__(self, table: Mapping[str, Alias], shapes: Shapes) -> None:
        self.table = table
        self.shapes = shapes

    def __call__(self, doc: Doc) -> Doc:
        state = None
        ents = doc.ents
        for ent in ents:
            alias = self.table.get(normalised(ent.text)) if ent.label_ in STATE_LABELS \
                else None
            if alias is not None and alias.kind in STATE_KINDS:
                state = ent._.actor or alias.actor
            elif state is not None and ent._.actor is None and self.is_state_body(ent):
                ent._.actor = state
        for ent in ents:
            if ent.label_ == "PERSON" and ent._.actor is None:
                ent._.actor = self.official_state(ent)
        return doc

    def official_state(self, person: Span) -> str | None:
        """The state of an official's title just before the name ("Russia's ambassador to the
        UK, X", "State Duma Chairman X"): the title's possessor, modifier or "of" object."""
        doc = person.doc
        window = doc[max(person.sent.start, person.start - 8):person.start]
        for title in reversed(window):
            if title.lower_ not in self.shapes.official_titles:
                continue
            owners = [child for child in title.children
                      if child.dep_ in OWNER_DEPS and child.i < person.start]
            owners += [grand for child in title.children if child.dep_ == "prep"
                       and child.lower_ == "of" for grand in child.children
                       if grand.dep_ == "pobj"]
            for owner in owners:
                actor = self.actor_at(owner)
                if actor is not None:
                    return actor
        return None

    def actor_at(self, token: Token) -> str | None:
        """The actor of the state or state organ the token names (its own entity, or one of
        the compound words before it: "State Duma" for "Duma")."""
        for word in (token, *(c for c in token.children if c.dep_ == "compound")):
            if not word.ent_type_:
                continue
            ent = next((e for e in word.doc.ents if e.start <= word.i < e.end), None)
            if ent is not None and ent._.actor and (ent.label_ in STATE_LABELS
                                                    or self.is_state_body(ent)):
                return ent._.actor
        return None

    def is_state_body(self, ent: Span) -> bool:
        return (ent.label_ == "ORG" and any(t.text in self.shapes.state_heads for t in ent)
                and not any(t.text in self.shapes.supranational for t in ent))


def body_patterns(shapes: Shapes) -> list[list[dict]]:
    """Matcher patterns: chain* HEAD (CONNECTOR the? chain+ (and chain+)?){0,2}."""
    chain = {"TEXT": {"REGEX": CHAIN_TOKEN}, "LOWER": {"NOT_IN": CHAIN_STOPS},
             "ENT_TYPE": {"NOT_IN": NOT_IN_CHAIN}}
    head = {"ORTH": {"IN": list(shapes.body_heads)}}  # never a person, whatever NER says
    connector = {"LOWER": {"IN": list(shapes.body_connectors)}}
    tail = [connector, {"LOWER": "the", "OP": "?"}, {**chain, "OP": "+"}]
    tail_and = [*tail, {"LOWER": "and"}, {**chain, "OP": "+"}]
    patterns: list[list[dict]] = []
    tails: list[list[dict]] = [[]]
    for _ in range(MAX_TAILS):
        tails = [[*done, *extra] for done in tails for extra in (tail, tail_and)]
        patterns.extend([{**chain, "OP": "*"}, head, *t] for t in tails)
    patterns.append([{**chain, "OP": "*"}, head])
    return patterns


def trim_start(span: Span) -> Span:
    """Without a capitalised sentence opener that is no proper noun ("Likely", "Unspecified")."""
    start = span.start
    while start < span.end - 1 and span.doc[start].is_sent_start \
            and span.doc[start].pos_ != "PROPN" and not span.doc[start].ent_type_:
        start += 1
    return Span(span.doc, start, span.end, label=span.label_) if start != span.start else span


def merge(ents: tuple[Span, ...] | list[Span], found: list[Span], *, override: bool
          ) -> list[Span]:
    """The shaped spans replace the entities inside them. An entity that crosses a span's
    edge is replaced too with `override`; otherwise that span is dropped."""
    kept: list[Span] = []
    for span in found:
        crossing = any(e.start < span.end and span.start < e.end
                       and not (span.start <= e.start and e.end <= span.end) for e in ents)
        if override or not crossing:
            kept.append(span)
    replaced = {(e.start, e.end) for e in ents for s in kept
                if e.start < s.end and s.start < e.end}
    rest = [e for e in ents if (e.start, e.end) not in replaced]
    return sorted([*kept, *rest], key=lambda s: s.start)
