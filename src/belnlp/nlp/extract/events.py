"""Relations coded as political events (PLOVER): who does what to whom, and in which mode.

A relation whose subject carries an actor becomes an event when an event rule
(`data/cues/events.jsonl`, an analyst's table) maps one of its predicate's verbs,
with its object and prepositional arguments, to a PLOVER event type, and the rule
finds a target actor: the object, a prepositional argument, or, for a mutual
event ("Minsk and Moscow signed a treaty"), the co-subject. The predicate's verbs
are tried in order, so a control verb decides ("threatened to cut gas" is a
threat, "refused to sign" a rejection). Each event records the rule that coded
it, the PLOVER quad class of its type, and its mode: negated, hypothetical
(possible or necessary), future (predicted), historical (a past time frame) or
asserted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from belnlp.jsonl import data_text, identified_record, numbered_records
from belnlp.nlp.extract.relations import Argument, Relation

VERBAL_COOPERATION = "verbal cooperation"
MATERIAL_COOPERATION = "material cooperation"
VERBAL_CONFLICT = "verbal conflict"
MATERIAL_CONFLICT = "material conflict"
#: PLOVER's event types and their quad class (cooperation/conflict x verbal/material).
EVENT_TYPES = {
    "AGREE": VERBAL_COOPERATION,
    "CONSULT": VERBAL_COOPERATION,
    "SUPPORT": VERBAL_COOPERATION,
    "CONCEDE": VERBAL_COOPERATION,
    "COOPERATE": MATERIAL_COOPERATION,
    "AID": MATERIAL_COOPERATION,
    "RETREAT": MATERIAL_COOPERATION,
    "REQUEST": VERBAL_CONFLICT,
    "ACCUSE": VERBAL_CONFLICT,
    "REJECT": VERBAL_CONFLICT,
    "THREATEN": VERBAL_CONFLICT,
    "PROTEST": MATERIAL_CONFLICT,
    "SANCTION": MATERIAL_CONFLICT,
    "MOBILIZE": MATERIAL_CONFLICT,
    "COERCE": MATERIAL_CONFLICT,
    "ASSAULT": MATERIAL_CONFLICT,
}
QUADS = (VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT, MATERIAL_CONFLICT)
#: A quad's weight on the cooperation (+) – conflict (−) scale of a dyad.
QUAD_SCORES = {
    VERBAL_COOPERATION: 0.5,
    MATERIAL_COOPERATION: 1.0,
    VERBAL_CONFLICT: -0.5,
    MATERIAL_CONFLICT: -1.0,
}
MODES = ("asserted", "negated", "hypothetical", "future", "historical")
#: Modes of events that happened or happen (not denied, not merely possible or planned).
REALISED_MODES = frozenset({"asserted", "historical"})
MODALITY_MODES = {"possible": "hypothetical", "necessary": "hypothetical", "predicted": "future"}

#: Target slots besides prepositions: the relation's object, a bare indirect object.
OBJECT, DATIVE = "object", "dative"
RULE_KEYS = frozenset({"id", "type", "lemmas", "object", "target", "mutual", "note"})
WORD_RE = re.compile(r"^[a-z][a-z-]*$")
PREP_DEPS = frozenset({"prep", "agent", "dative"})
PAST_TAGS = frozenset({"VBD"})
AUX_DEPS = frozenset({"aux", "auxpass"})


class EventRuleError(ValueError):
    """An event rule file that cannot be used; the message names file, line, rule and problem."""


@dataclass(frozen=True, slots=True)
class EventRule:
    """One line of the event table: verb lemmas (and object lemmas) -> a PLOVER type."""

    id: str
    type: str
    lemmas: frozenset[str]
    objects: frozenset[str]  # empty: any object
    targets: tuple[str, ...]  # where the target actor is, tried in order
    mutual: bool
    note: str | None
    source: str  # "file:line"


# ---------------------------------------------------------------- the table


def default_event_path() -> Path:
    return Path(str(resources.files("belnlp") / "data" / "cues" / "events.jsonl"))


def load_event_rules(path: str | Path) -> list[EventRule]:
    """Read and validate an event rule file; ids must be unique."""
    return parse_event_rules(data_text(path, EventRuleError, "event rules file"), str(path))


def parse_event_rules(text: str, name: str) -> list[EventRule]:
    rules: list[EventRule] = []
    seen: dict[str, str] = {}
    for raw, where in numbered_records(text.split("\n"), name, EventRuleError):
        rule = _parse_rule(raw, where)
        if rule.id in seen:
            raise EventRuleError(
                f"{where}: rule {rule.id!r}: duplicate id (first at {seen[rule.id]})")
        seen[rule.id] = where
        rules.append(rule)
    return rules


def _parse_rule(raw: Any, where: str) -> EventRule:
    rule_id, fail = identified_record(raw, where, RULE_KEYS, EventRuleError,
                                      ("an event rule", "rule"))
    if raw.get("type") not in EVENT_TYPES:
        raise fail(f"'type' must be one of {sorted(EVENT_TYPES)}, got {raw.get('type')!r}")
    lemmas = _words(raw.get("lemmas"), "lemmas", fail, required=True)
    objects = _words(raw.get("object", []), "object", fail)
    targets = _words(raw.get("target", [OBJECT]), "target", fail, required=True)
    mutual = raw.get("mutual", False)
    if not isinstance(mutual, bool):
        raise fail("'mutual' must be true or false")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("'note' must be a string")
    return EventRule(rule_id, raw["type"], frozenset(lemmas), frozenset(objects),
                     tuple(targets), mutual, note, where)


def _words(value: Any, key: str, fail, *, required: bool = False) -> list[str]:
    if not isinstance(value, list) or (required and not value):
        raise fail(f"'{key}' must be a {'non-empty ' if required else ''}list of words")
    bad = [w for w in value if not isinstance(w, str) or not WORD_RE.match(w)]
    if bad:
        raise fail(f"'{key}' holds {bad[0]!r}: single lower-case words only")
    if len(set(value)) != len(value):
        raise fail(f"'{key}' repeats a word")
    return value


# ---------------------------------------------------------------- coding


class EventCoder:
    """The event table compiled once: rules indexed by verb lemma, in file order."""

    def __init__(self, rules: Sequence[EventRule]) -> None:
        self.by_lemma: dict[str, list[EventRule]] = {}
        for rule in rules:
            for lemma in rule.lemmas:
                self.by_lemma.setdefault(lemma, []).append(rule)

    def code(self, rels: Sequence[Relation], doc: Doc,
             time: Mapping[str, Any] | None = None) -> list[dict[str, Any] | None]:
        """The event of each relation (None where there is none), aligned with `rels`."""
        return [self._event(rel, rels, doc, time) for rel in rels]

    def _event(self, rel: Relation, rels: Sequence[Relation], doc: Doc,
               time: Mapping[str, Any] | None) -> dict[str, Any] | None:
        source = rel.subject.actor
        if source is None or not rel.verbs:
            return None
        for verb in rel.verbs:
            for rule in self.by_lemma.get(doc[verb].lemma_.lower(), ()):
                if rule.objects and not _object_matches(rule, rel, doc):
                    continue
                target = _target(rule, rel, doc) or (_partner(rel, rels) if rule.mutual else None)
                if target is None:
                    continue
                return {
                    "type": rule.type,
                    "quad": EVENT_TYPES[rule.type],
                    "mode": event_mode(rel, is_historical(time, doc, rel.verbs)),
                    "rule": rule.id,
                    "source": source,
                    "target": target,
                }
        return None


def _object_matches(rule: EventRule, rel: Relation, doc: Doc) -> bool:
    """The object's head lemma is one the rule names, looking through a partitive
    ("most of its oil")."""
    if rel.object is None or rel.object.head < 0:
        return False
    head = doc[rel.object.head]
    if head.lemma_.lower() in rule.objects:
        return True
    return any(
        g.dep_ == "pobj" and g.lemma_.lower() in rule.objects
        for c in head.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
    )


def _target(rule: EventRule, rel: Relation, doc: Doc) -> str | None:
    """The target actor from the first of the rule's slots that holds one."""
    ends_in = rel.predicate.text.rsplit(" ", 1)[-1].lower()
    for slot in rule.targets:
        if slot == OBJECT or slot == ends_in:
            if rel.object is not None and rel.object.actor is not None:
                if slot == OBJECT or rel.predicate.end <= rel.object.start:
                    return rel.object.actor
        if slot != OBJECT:
            for arg in rel.arguments:
                if arg.actor is not None and _preposition(arg, doc) == slot:
                    return arg.actor
            inner = _inner_actor(rel.object, slot, doc)
            if inner is not None:
                return inner
    return None


def _inner_actor(obj: Argument | None, slot: str, doc: Doc) -> str | None:
    """ "sanctions on Belarus", "Crimea from Ukraine": the actor of a prepositional
    phrase inside the object, introduced by preposition `slot`."""
    if obj is None or obj.head < 0 or not Span.has_extension("actor"):
        return None
    span = doc.char_span(obj.start, obj.end, alignment_mode="expand")
    if span is None:
        return None
    for tok in span:
        if tok.dep_ == "prep" and tok.lower_ == slot:
            for pobj in tok.children:
                if pobj.dep_ != "pobj":
                    continue
                first, last = pobj.left_edge.i, pobj.right_edge.i
                # The entity holding the head, else the first one inside, as for arguments.
                ents = [e for e in span.ents if e.start <= pobj.i < e.end]
                ents += [e for e in span.ents if first <= e.start and e.end - 1 <= last]
                actor = next((e._.actor for e in ents if e._.actor is not None), None)
                if actor is not None:
                    return actor
    return None


def _preposition(arg: Argument, doc: Doc) -> str | None:
    """The preposition that introduces an extra argument, or "dative" for a bare one."""
    if arg.head < 0:
        return None
    tok = doc[arg.head]
    if tok.dep_ == "dative" and tok.pos_ != "ADP":
        return DATIVE
    if tok.dep_ in PREP_DEPS:
        return tok.lower_
    if tok.dep_ == "pobj" and tok.head.dep_ in PREP_DEPS:
        return tok.head.lower_
    return None


def _partner(rel: Relation, rels: Sequence[Relation]) -> str | None:
    """For a mutual event, the actor of a co-subject of the same predicate."""
    for other in rels:
        actor = other.subject.actor
        if other.verbs == rel.verbs and actor is not None and actor != rel.subject.actor:
            return actor
    return None


def event_mode(rel: Relation, historical: bool) -> str:
    """negated > hypothetical > future (from the relation's modality) > historical > asserted."""
    if rel.negated:
        return "negated"
    mode = MODALITY_MODES.get(rel.modality)
    if mode:
        return mode
    return "historical" if historical else "asserted"


def is_historical(time: Mapping[str, Any] | None, doc: Doc, verbs: Sequence[int]) -> bool:
    """Whether the event lies in the past: the switch between the claim's time frame and
    the verb's tense.

    A claim's `time` ({frame: past|present|future|mixed, anchors}) decides when it has a
    single frame; without one (or for a mixed frame) the predicate's main verb decides:
    a simple past, or a past auxiliary ("had agreed", "was signed").
    """
    frame = time.get("frame") if time else None
    if frame in ("past", "present", "future"):
        return frame == "past"
    verb = doc[verbs[0]]
    return verb.tag_ in PAST_TAGS or any(
        c.dep_ in AUX_DEPS and c.tag_ in PAST_TAGS for c in verb.children
    )


@cache
def default_coder() -> EventCoder:
    """The packaged event table, read and compiled once per process."""
    return EventCoder(load_event_rules(default_event_path()))


def dyad_score(events: Sequence[Mapping[str, Any]]) -> float | None:
    """Cooperation (+1) – conflict (−1) score of a dyad: the mean quad weight of its
    realised (asserted or historical) events; None when it has none."""
    weights = [QUAD_SCORES[e["quad"]] for e in events if e.get("mode") in REALISED_MODES]
    return round(sum(weights) / len(weights), 3) if weights else None
