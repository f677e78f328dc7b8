"""Reporting cues as data: loading and validating data/cues/reporting.jsonl.

One cue list per line, each with an `id` (recorded on every attribution it produces) and a
`kind`:

- `verbs`: reporting verbs by lemma; `content` says what they report ("clause": a
  that-clause, "object": a direct object or complement); `requires_source` asks for a
  subject that can be a source (a named actor, a personal pronoun or a source noun);
- `phrases`: prepositional frames whose object is the speaker ("according to");
- `nouns`: reporting nouns in "the argument is that ...";
- `sources`: subject heads that count as a source for `requires_source` verbs;
- `not_speakers`: subject heads that are never speakers (documents, the text itself, events);
- `author_frame`: pronouns and determiners of the authors' own frame ("we argue", "our
  analysis suggests", "this report shows");
- `own_text`: nouns for the authors' own text, their frame after "this" ("this paper argues").

A file with an unknown key, a wrong type or a lemma listed by two verb lines is refused with
file, line and problem before any document is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from belnlp.jsonl import data_text, identified_record, numbered_records

KINDS = frozenset({"verbs", "phrases", "nouns", "sources", "not_speakers", "author_frame",
                   "own_text"})
CONTENT_KINDS = frozenset({"clause", "object"})
KEYS = frozenset({"id", "kind", "lemmas", "terms", "content", "requires_source", "note"})


class CueError(ValueError):
    """A cue file that cannot be used; the message names file, line, cue and problem."""


@dataclass(frozen=True, slots=True)
class VerbCue:
    """What one reporting verb needs to report: its rule id, content kinds and subject."""

    rule: str
    content: frozenset[str]
    requires_source: bool


@dataclass(frozen=True, slots=True, eq=False)
class ReportingCues:
    """Every cue list of a cue file, by lemma or phrase, with the rule id of each."""

    verbs: dict[str, VerbCue]
    phrases: dict[str, str]
    nouns: dict[str, str]
    sources: frozenset[str]
    not_speakers: frozenset[str]
    author_frame: frozenset[str]
    own_text: frozenset[str]


def default_cues_path() -> Path:
    return Path(str(resources.files("belnlp") / "data" / "cues" / "reporting.jsonl"))


@cache
def default_cues() -> ReportingCues:
    """The packaged cue file, read and validated once per process."""
    return load_cues(default_cues_path())


def load_cues(path: str | Path) -> ReportingCues:
    return parse_cues(data_text(path, CueError, "cue file"), str(path))


def parse_cues(text: str, name: str) -> ReportingCues:
    """The cue lists of a JSONL text; the first bad line raises CueError naming name:line."""
    verbs: dict[str, VerbCue] = {}
    phrases: dict[str, str] = {}
    nouns: dict[str, str] = {}
    words: dict[str, set[str]] = {kind: set() for kind in
                                  ("sources", "not_speakers", "author_frame", "own_text")}
    ids: set[str] = set()
    for raw, where in numbered_records(text.split("\n"), name, CueError):
        cue_id, kind, values = _check_line(raw, where)
        if cue_id in ids:
            raise CueError(f"{where}: cue {cue_id!r}: duplicate id")
        ids.add(cue_id)
        if kind == "verbs":
            cue = VerbCue(cue_id, frozenset(raw["content"]), bool(raw.get("requires_source")))
            for lemma in values:
                if lemma in verbs:
                    raise CueError(f"{where}: cue {cue_id!r}: verb {lemma!r} is already listed "
                                   f"by {verbs[lemma].rule!r}")
                verbs[lemma] = cue
        elif kind == "phrases":
            phrases.update(dict.fromkeys(values, cue_id))
        elif kind == "nouns":
            nouns.update(dict.fromkeys(values, cue_id))
        else:
            words[kind].update(values)
    return ReportingCues(verbs, phrases, nouns, frozenset(words["sources"]),
                         frozenset(words["not_speakers"]), frozenset(words["author_frame"]),
                         frozenset(words["own_text"]))


def _check_line(raw: Any, where: str) -> tuple[str, str, list[str]]:
    """(id, kind, lower-cased lemmas or terms) of a valid line."""
    cue_id, fail = identified_record(raw, where, KEYS, CueError, ("a cue line", "cue"))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"'kind' must be one of {sorted(KINDS)}, got {kind!r}")
    field = "terms" if kind == "phrases" else "lemmas"
    other = "lemmas" if field == "terms" else "terms"
    if other in raw:
        raise fail(f"kind {kind!r} takes {field!r}, not {other!r}")
    values = raw.get(field)
    if not isinstance(values, list) or not values or not all(
        isinstance(value, str) and value.strip() for value in values
    ):
        raise fail(f"{field!r} must be a non-empty list of strings")
    if field == "lemmas" and any(len(value.split()) != 1 for value in values):
        raise fail("'lemmas' are single words; use a 'phrases' line for phrases")
    if kind == "verbs":
        content = raw.get("content")
        if not isinstance(content, list) or not content or not set(content) <= CONTENT_KINDS:
            raise fail(f"'content' must be a non-empty list of {sorted(CONTENT_KINDS)}")
        if not isinstance(raw.get("requires_source", False), bool):
            raise fail("'requires_source' must be true or false")
    elif "content" in raw or "requires_source" in raw:
        raise fail("'content' and 'requires_source' apply to 'verbs' lines only")
    if raw.get("note") is not None and not isinstance(raw["note"], str):
        raise fail("'note' must be a string")
    return cue_id, kind, [" ".join(value.lower().split()) for value in values]
