"""What a change did: two claims files compared claim by claim, per document.

Claims are paired by claim_id (document and offsets), so a claim whose sentence boundaries
moved is one claim removed and one added. A paired claim is *changed* when one of its
aspects differs: categories, evidence rules, entities (text, label, offsets), the actors of
entities present in both runs, attribution, relations or modality. Provenance (the rules
hash) is not an aspect: it differs whenever a rule file does.

Counts per category and per rule say how many claims had it in each run and how many
gained or lost it, added and removed claims included.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from belnlp.views.tables import markdown_table, text_table

FORMATS = ("table", "markdown", "json")
ASPECTS = ("categories", "rules", "entities", "actors", "attribution", "relations",
           "modality")
TEXT_WIDTH = 70

Record = dict[str, Any]


@dataclass(slots=True)
class Diff:
    """The differences between two runs, per document in first-seen order."""

    documents: dict[str, list[Record]] = field(default_factory=dict)
    categories: dict[str, Record] = field(default_factory=dict)
    rules: dict[str, Record] = field(default_factory=dict)
    totals: Record = field(default_factory=dict)


def entity_key(entity: Record) -> str:
    return f"{entity['text']} {entity['label']} [{entity['start']}:{entity['end']}]"


def relation_key(relation: Record) -> str:
    def part(value: Any) -> str:
        return "-" if value is None else value.get("text", "") if isinstance(value, dict) \
            else str(value)

    negated = "not " if relation.get("negated") else ""
    return (f"({part(relation.get('subject'))}; {negated}{part(relation.get('predicate'))}; "
            f"{part(relation.get('object'))}) {relation.get('modality') or ''}").rstrip()


def rule_keys(claim: Record) -> set[str]:
    """Evidence rules as `rule (category)`: the same rule may serve several categories."""
    return {f"{item['rule']} ({item['category']})" for item in claim.get("evidence") or ()}


def attribution_key(claim: Record) -> str | None:
    """An attribution as one readable line: type, speaker (actor) and cue."""
    attribution = claim.get("attribution")
    if not attribution:
        return None
    speaker = attribution.get("speaker") or {}
    cue = attribution.get("cue") or {}
    actor = f" ({speaker['actor']})" if speaker.get("actor") else ""
    return (f"{attribution.get('type', '?')}: {speaker.get('text', '-')}{actor} "
            f"[{speaker.get('start', '?')}:{speaker.get('end', '?')}] "
            f"via {cue.get('text', '-')!r}")


def _set_change(old: Iterable[str], new: Iterable[str]) -> Record | None:
    old, new = set(old), set(new)
    if old == new:
        return None
    return {"removed": sorted(old - new), "added": sorted(new - old)}


def claim_changes(old: Record, new: Record) -> Record:
    """The aspects in which two records of the same claim differ (empty: none)."""
    changes: Record = {}
    for aspect, values in (
            ("categories", lambda c: c.get("categories") or ()),
            ("rules", rule_keys),
            ("entities", lambda c: map(entity_key, c.get("entities") or ())),
            ("relations", lambda c: map(relation_key, c.get("relations") or ()))):
        change = _set_change(values(old), values(new))
        if change:
            changes[aspect] = change
    old_actors = {entity_key(e): e.get("actor") for e in old.get("entities") or ()}
    actors = [{"entity": key, "old": old_actors[key], "new": e.get("actor")}
              for e in new.get("entities") or () if (key := entity_key(e)) in old_actors
              and old_actors[key] != e.get("actor")]
    if actors:
        changes["actors"] = actors
    for aspect, value in (("attribution", attribution_key), ("modality",
                                                            lambda c: c.get("modality"))):
        if value(old) != value(new):
            changes[aspect] = {"old": value(old), "new": value(new)}
    return {aspect: changes[aspect] for aspect in ASPECTS if aspect in changes}


def diff_claims(old: Iterable[Record], new: Iterable[Record]) -> Diff:
    """Added, removed and changed claims per document, and the counts per category and rule."""
    old_claims = {claim["claim_id"]: claim for claim in old}
    new_claims = {claim["claim_id"]: claim for claim in new}
    result = Diff()
    order = list(dict.fromkeys([*old_claims, *new_claims]))
    order.sort(key=lambda claim_id: _position(old_claims.get(claim_id)
                                              or new_claims[claim_id]))
    for doc_id in dict.fromkeys(_position(c)[0] for c in [*old_claims.values(),
                                                          *new_claims.values()]):
        result.documents[doc_id] = []
    counts = {"changed": 0, "added": 0, "removed": 0, "unchanged": 0}
    for claim_id in order:
        before, after = old_claims.get(claim_id), new_claims.get(claim_id)
        if before is not None and after is not None:
            changes = claim_changes(before, after)
            if not changes:
                counts["unchanged"] += 1
                continue
            entry = {"status": "changed", "claim_id": claim_id, "text": after["text"],
                     "changes": changes}
        else:
            claim = before or after
            entry = {"status": "removed" if after is None else "added", "claim_id": claim_id,
                     "text": claim["text"], "categories": list(claim.get("categories") or ()),
                     "rules": sorted(rule_keys(claim))}
        counts[entry["status"]] += 1
        result.documents[_position(before or after)[0]].append(entry)
    result.documents = {doc: entries for doc, entries in result.documents.items() if entries}
    result.totals = {"documents_changed": len(result.documents),
                     "claims_old": len(old_claims), "claims_new": len(new_claims), **counts}
    result.categories = _tallies(old_claims, new_claims, lambda c: c.get("categories") or ())
    result.rules = _tallies(old_claims, new_claims, rule_keys)
    return result


def _position(claim: Record) -> tuple[str, int, int]:
    return claim["doc_id"], claim["start"], claim["end"]


def _tallies(old: dict[str, Record], new: dict[str, Record], keys) -> dict[str, Record]:
    """Per key: claims with it in each run, and claims that gained or lost it."""
    had = {claim_id: set(keys(claim)) for claim_id, claim in old.items()}
    has = {claim_id: set(keys(claim)) for claim_id, claim in new.items()}
    old_count = Counter(key for values in had.values() for key in values)
    new_count = Counter(key for values in has.values() for key in values)
    gained, lost = Counter(), Counter()
    for claim_id in had.keys() | has.keys():
        before, after = had.get(claim_id, set()), has.get(claim_id, set())
        gained.update(after - before)
        lost.update(before - after)
    return {key: {"old": old_count[key], "new": new_count[key],
                  "delta": new_count[key] - old_count[key], "gained": gained[key],
                  "lost": lost[key]}
            for key in sorted(old_count.keys() | new_count.keys())}


# --- output -------------------------------------------------------------------------------


def change_rows(result: Diff) -> list[Record]:
    """One row per changed aspect of a claim, or per added or removed claim."""
    rows = []
    for doc_id, entries in result.documents.items():
        for entry in entries:
            base = {"doc_id": doc_id, "claim_id": entry["claim_id"], "status": entry["status"]}
            if entry["status"] != "changed":
                detail = ", ".join(entry["categories"]) or "(no category)"
                rows.append({**base, "aspect": "claim", "change": detail,
                             "text": entry["text"]})
                continue
            for aspect, change in entry["changes"].items():
                rows.append({**base, "aspect": aspect, "change": describe(change),
                             "text": entry["text"]})
    return rows


def describe(change: Any) -> str:
    """A change in one line: `-removed +added`, `old -> new`, or per-entity actors."""
    if isinstance(change, list):
        return "; ".join(f"{item['entity']}: {item['old'] or '-'} -> {item['new'] or '-'}"
                         for item in change)
    if "added" in change:
        return " ".join([*(f"-{value}" for value in change["removed"]),
                         *(f"+{value}" for value in change["added"])])
    return f"{change['old'] or '-'} -> {change['new'] or '-'}"


def tally_rows(tallies: dict[str, Record], name: str, *, changed_only: bool) -> list[Record]:
    return [{name: key, **counts} for key, counts in tallies.items()
            if not changed_only or counts["gained"] or counts["lost"]]


def render(result: Diff, fmt: str, old_name: str, new_name: str) -> str:
    """The diff as text tables, Markdown, or one JSON object."""
    if fmt == "json":
        return json.dumps({"old": old_name, "new": new_name, "totals": result.totals,
                           "documents": [{"doc_id": doc_id, "claims": entries}
                                         for doc_id, entries in result.documents.items()],
                           "categories": result.categories, "rules": result.rules},
                          ensure_ascii=False, indent=2)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = change_rows(result)
    if fmt == "table":
        rows = [{**row, "text": _shorten(row["text"])} for row in rows]
    table = text_table if fmt == "table" else markdown_table
    totals = ", ".join(f"{key.replace('_', ' ')} {value}"
                       for key, value in result.totals.items())
    parts = [f"belnlp diff: {old_name} -> {new_name}: {totals}",
             "changes:", table(rows),
             "categories (claims with each, in the old and new run):",
             table(tally_rows(result.categories, "category", changed_only=False)),
             "rules that changed (claims each fired on):",
             table(tally_rows(result.rules, "rule", changed_only=True))]
    if fmt == "markdown":
        parts = [f"## {part[:-1]}" if part.endswith(":") else part for part in parts]
    return "\n\n".join(parts)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_WIDTH else text[:TEXT_WIDTH - 1] + "…"
