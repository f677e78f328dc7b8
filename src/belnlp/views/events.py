"""Political events of a claims file as tables: the POLECAT-style event export, and the
event columns, filters and summary sections that `inspect` adds.

One row per relation that carries an event. The columns follow POLECAT's event table
(event, actor and recipient, then the story), in snake_case: POLECAT dates an event by
the story that reports it, and so does belnlp, with the article's date.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from belnlp.nlp.extract.events import EVENT_TYPES, QUADS
from belnlp.views.outputs import atomic_path, write_text

#: POLECAT's numbering of the quad classes (as GDELT's QuadClass).
QUAD_CODES = {quad: code for code, quad in enumerate(QUADS, start=1)}
COLUMNS = (
    "event_id", "event_date", "event_type", "event_mode", "quad_code", "quad_class",
    "actor_name", "actor_country", "recipient_name", "recipient_country", "predicate",
    "rule", "claim_id", "doc_id", "source", "title", "publication_date", "text",
)  # fmt: skip
SUFFIXES = (".csv", ".parquet")


def event_rows(records: Iterable[Mapping[str, Any]],
               documents: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """One row per event of the claim records; `documents` (by doc_id) give the dates."""
    documents = documents or {}
    rows = []
    for record in records:
        date = (documents.get(record["doc_id"]) or {}).get("date")
        for index, relation in enumerate(record["relations"]):
            event = relation.get("event")
            if not event:
                continue
            recipient = _recipient(relation, event["target"])
            rows.append((
                f"{record['claim_id']}#{index}", date, event["type"], event["mode"],
                QUAD_CODES[event["quad"]], event["quad"], relation["subject"]["text"],
                event["source"], recipient, event["target"], relation["predicate"]["text"],
                event["rule"], record["claim_id"], record["doc_id"], record["source"],
                record["title"], date, record["text"],
            ))
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    return frame.astype({"quad_code": "int64"})


def _recipient(relation: Mapping[str, Any], target: str) -> str | None:
    """The text of the slot that holds the target actor: the object or an argument."""
    slots = [relation["object"], *relation.get("arguments", [])]
    return next((slot["text"] for slot in slots if slot and slot.get("actor") == target), None)


def write_events(frame: pd.DataFrame, output: str) -> None:
    """CSV (also on stdout for "-") or Parquet by suffix, written atomically."""
    if output == "-":
        sys.stdout.write(frame.to_csv(index=False))
        return
    suffix = Path(output).suffix.lower()
    if suffix == ".parquet":
        with atomic_path(output) as tmp:
            frame.to_parquet(tmp, index=False)
    elif suffix == ".csv":
        write_text(output, frame.to_csv(index=False))
    else:
        raise ValueError(f"{output}: unknown event table format {suffix or '(no suffix)'}; "
                         f"use one of {', '.join(SUFFIXES)} or - for CSV on stdout")


# ---------------------------------------------------------------- inspect's event layer


def event_columns(relations: list[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The event columns of inspect's relations table (None where there is no event)."""
    events = [relation.get("event") or {} for relation in relations]
    return {f"event_{key}": [event.get(key) for event in events]
            for key in ("type", "quad", "mode", "target")}


def normalise_quad(text: str) -> str:
    """A quad class as given on the command line ("material-conflict") -> its name."""
    quad = text.lower().replace("-", " ").replace("_", " ")
    if quad not in QUAD_CODES:
        raise ValueError(f"--quad must be one of {', '.join(QUADS)}, not {text!r}")
    return quad


def normalise_type(text: str) -> str:
    kind = text.upper()
    if kind not in EVENT_TYPES:
        raise ValueError(f"--event must be one of {', '.join(EVENT_TYPES)}, not {text!r}")
    return kind


def event_mask(relations: pd.DataFrame, kind: str | None, quad: str | None) -> pd.Series:
    """Relations whose event has type `kind` and quad class `quad` (each if given)."""
    keep = relations["event_type"].notna()
    if kind:
        keep &= relations["event_type"] == kind
    if quad:
        keep &= relations["event_quad"] == quad
    return keep


def event_sections(relations: pd.DataFrame, top: int) -> dict[str, pd.Series]:
    """Summary counts: events per type, per mode, and per dyad and type ("BLR→RUS AGREE")."""
    coded = relations[relations["event_type"].notna()]
    dyads = (relations.loc[coded.index, "subject_actor"] + "→" + coded["event_target"]
             + " " + coded["event_type"])
    return {
        "events": coded["event_type"].value_counts(),
        "event modes": coded["event_mode"].value_counts(),
        "event dyads": dyads.value_counts().head(top),
    }
