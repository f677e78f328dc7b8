"""Claims files as pandas tables: a summary, filtered listings, and their output formats.

Nested record fields are flattened into long tables (one row per entity, one per relation)
keyed by the claim's row, so summaries and filters are vectorised group-bys and joins. The
flattening is explicit rather than pandas.json_normalize: on 300,000 relations that is ~15x
faster and gives the same columns whether or not any relation has an object.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from belnlp.views.events import event_columns, event_mask, event_sections
from belnlp.views.outputs import atomic_path, predicate_lemma, write_text
from belnlp.views.speakers import speaker_columns, speaker_counts

FORMATS = ("table", "csv", "json", "jsonl", "markdown", "parquet")
MODALITIES = ("asserted", "possible", "necessary", "predicted")
FRAMES = ("past", "present", "future", "mixed")
NONE = "(none)"
JOIN = ", "
#: Width of a table written to a file (a terminal uses its own width).
FILE_WIDTH = 120


@dataclass
class Tables:
    """Claim records as tables: `records[i]` is the record of `claims.iloc[i]`, and the
    `row` of an entity or relation is the index label of its claim in `claims`."""

    records: list[dict[str, Any]]
    claims: pd.DataFrame
    entities: pd.DataFrame
    relations: pd.DataFrame


@dataclass
class Filters:
    """Which claims to list; a claim must pass every filter given."""

    categories: list[str] = field(default_factory=list)
    actor: str | None = None
    entity: str | None = None
    doc: str | None = None
    contains: str | None = None
    modality: str | None = None
    negated: bool = False
    before: int | None = None
    after: int | None = None
    frame: str | None = None
    speaker: str | None = None
    own: bool = False
    reported: bool = False
    event: str | None = None  # a PLOVER type (normalised: views.events.normalise_type)
    quad: str | None = None  # a quad class (views.events.normalise_quad)

    def any(self) -> bool:
        return bool(self.categories or self.actor or self.entity or self.doc or self.contains
                    or self.modality or self.negated or self.frame
                    or self.before is not None or self.after is not None
                    or self.speaker or self.own or self.reported or self.event or self.quad)


@dataclass
class View:
    """What a command prints: a summary (section, key, count) or a claims listing."""

    kind: str
    frame: pd.DataFrame
    records: list[dict[str, Any]] = field(default_factory=list)


def load(records: list[dict[str, Any]]) -> Tables:
    """Claims, entities and relations tables of claim records."""
    claims = pd.DataFrame.from_records(
        records,
        columns=["claim_id", "doc_id", "source", "title", "start", "end", "categories",
                 "modality", "text"],
    )
    claims = claims.assign(**speaker_columns(records))
    entities = _entities(records)
    relations = _relations(records)
    claims["negated"] = claims.index.isin(relations.loc[relations["negated"], "row"])
    _add_time(claims, records)
    return Tables(records, claims, entities, relations)


def _add_time(claims: pd.DataFrame, records: list[dict[str, Any]]) -> None:
    """The frame and the earliest and latest year any dated anchor of a claim reaches."""
    times = [record.get("time") or {} for record in records]
    spans = [[years for anchor in time.get("anchors", ())
              if (years := anchor_years(anchor.get("value"))) is not None] for time in times]
    claims["frame"] = [time.get("frame") for time in times]
    claims["first_year"] = [min(s[0] for s in found) if found else np.nan for found in spans]
    claims["last_year"] = [max(s[1] for s in found) if found else np.nan for found in spans]


def anchor_years(value: str | None) -> tuple[int, int] | None:
    """First and last year of a time value: 1999, 1999-12-08, 199X, 18XX, 2012/2015, 2020-Q3."""
    if not value:
        return None
    first, _, last = value.partition("/")
    last = last or first
    try:
        return int(first[:4].replace("X", "0")), int(last[:4].replace("X", "9"))
    except ValueError:
        return None


def _rows(records: list[dict[str, Any]], key: str) -> np.ndarray:
    return np.repeat(np.arange(len(records)), [len(record[key]) for record in records])


def _entities(records: list[dict[str, Any]]) -> pd.DataFrame:
    items = [entity for record in records for entity in record["entities"]]
    frame = pd.DataFrame.from_records(items, columns=["text", "label", "actor"])
    frame.insert(0, "row", _rows(records, "entities"))
    return frame


def _relations(records: list[dict[str, Any]]) -> pd.DataFrame:
    items = [relation for record in records for relation in record["relations"]]
    objects = [relation["object"] or {} for relation in items]
    predicates = [relation["predicate"]["text"] for relation in items]
    lemmas = {text: predicate_lemma(text) for text in set(predicates)}
    return pd.DataFrame({
        "row": _rows(records, "relations"),
        "subject": [relation["subject"]["text"] for relation in items],
        "subject_actor": [relation["subject"]["actor"] for relation in items],
        "predicate": predicates,
        "lemma": [lemmas[text] for text in predicates],
        "object": [obj.get("text") for obj in objects],
        "object_actor": [obj.get("actor") for obj in objects],
        "negated": np.array([bool(relation["negated"]) for relation in items], dtype=bool),
        "modality": [relation["modality"] for relation in items],
        **event_columns(items),
    })


def select(tables: Tables, filters: Filters) -> Tables:
    """The claims that pass `filters`, with their entities and relations."""
    claims, entities, relations = tables.claims, tables.entities, tables.relations
    keep = pd.Series(True, index=claims.index)
    if filters.categories:
        wanted = set(filters.categories)
        keep &= claims["categories"].map(wanted.issubset)
    if filters.actor:
        actor = filters.actor.upper()
        rows = pd.concat([
            entities.loc[entities["actor"] == actor, "row"],
            relations.loc[(relations["subject_actor"] == actor)
                          | (relations["object_actor"] == actor), "row"],
            pd.Series([row for row, record in zip(claims.index, tables.records, strict=True)
                       if actor in _reference_actors(record)], dtype="int64"),
        ])
        keep &= claims.index.isin(rows) | (claims["speaker_actor"] == actor).to_numpy()
    if filters.speaker:
        needle = filters.speaker.casefold()
        keep &= claims["speaker"].map(lambda text: isinstance(text, str)
                                      and needle in text.casefold()).astype(bool)
    if filters.own:
        keep &= claims["speaker"].isna()
    if filters.reported:
        keep &= claims["speaker"].notna()
    if filters.entity:
        hits = entities["text"].str.contains(filters.entity, case=False, regex=False)
        keep &= claims.index.isin(entities.loc[hits, "row"])
    if filters.doc:
        keep &= (claims["doc_id"] == filters.doc) | (claims["source"] == filters.doc)
    if filters.contains:
        keep &= claims["text"].str.contains(filters.contains, case=False, regex=False)
    if filters.modality:
        keep &= claims["modality"] == filters.modality
    if filters.negated:
        keep &= claims["negated"]
    if filters.before is not None:
        keep &= claims["first_year"] < filters.before
    if filters.after is not None:
        keep &= claims["last_year"] > filters.after
    if filters.frame:
        keep &= claims["frame"] == filters.frame
    if filters.event or filters.quad:
        hits = event_mask(relations, filters.event, filters.quad)
        keep &= claims.index.isin(relations.loc[hits, "row"])
    chosen = claims.index[keep.to_numpy()]
    return Tables(
        records=[tables.records[row] for row in chosen],
        claims=claims.loc[chosen],
        entities=entities[entities["row"].isin(chosen)],
        relations=relations[relations["row"].isin(chosen)],
    )


def summary(tables: Tables, top: int = 10) -> View:
    """Counts an analyst looks at first, as rows of (section, key, count)."""
    claims, entities, relations = tables.claims, tables.entities, tables.relations
    sets = claims["categories"].map(lambda cats: "+".join(cats) or NONE)
    per_category = claims["categories"].explode().dropna().value_counts()
    per_category[NONE] = int((sets == NONE).sum())
    with_label = entities["text"] + " (" + entities["label"] + ")"
    modality = claims["modality"].value_counts().reindex(MODALITIES, fill_value=0)
    totals = pd.Series({
        "documents": claims["doc_id"].nunique(),
        "claims": len(claims),
        "entities": len(entities),
        "relations": len(relations),
        "negated claims": int(claims["negated"].sum()),
    })
    sections = {
        "totals": totals,
        "categories": _ranked(per_category),
        "category sets": _ranked(sets.value_counts()),
        "entities": _ranked(with_label.value_counts()).head(top),
        "actors": _ranked(pd.concat([
            entities["actor"].dropna(),
            pd.Series([a for record in tables.records for a in _reference_actors(record)],
                      dtype=object),
        ]).value_counts()).head(top),
        "predicates": _ranked(relations["lemma"].value_counts()).head(top),
        "modality": modality,
        "speaker actors": _ranked(speaker_counts(claims)).head(top),
        **{name: _ranked(counts) for name, counts in event_sections(relations, top).items()},
    }
    frame = pd.concat(
        [pd.DataFrame({"section": name, "key": counts.index.astype(str),
                       "count": counts.to_numpy(dtype="int64")})
         for name, counts in sections.items()],
        ignore_index=True,
    )
    return View("summary", frame)


def _reference_actors(record: dict[str, Any]) -> list[str]:
    """The actors that a claim's anaphors refer to ("it" -> BLR), one per reference."""
    return [ref["antecedent"]["actor"] for ref in record.get("references", ())
            if ref["antecedent"]["actor"]]


def _ranked(counts: pd.Series) -> pd.Series:
    """Counts by count descending, then key, so equal counts come out in a stable order."""
    frame = pd.DataFrame({"key": counts.index.astype(str), "count": counts.to_numpy()})
    frame = frame.sort_values(["count", "key"], ascending=[False, True], kind="stable")
    return pd.Series(frame["count"].to_numpy(), index=frame["key"].to_numpy())


def listing(tables: Tables) -> View:
    """One flat row per claim (lists joined with ", "), plus the full records for JSON."""
    claims = tables.claims
    actors = (tables.entities.dropna(subset=["actor"]).groupby("row")["actor"]
              .agg(lambda values: JOIN.join(sorted(set(values)))))
    frame = pd.DataFrame({
        "claim_id": claims["claim_id"],
        "doc_id": claims["doc_id"],
        "source": claims["source"],
        "title": claims["title"],
        "start": claims["start"],
        "end": claims["end"],
        "categories": claims["categories"].map(JOIN.join),
        "modality": claims["modality"],
        "negated": claims["negated"],
        "actors": actors.reindex(claims.index, fill_value=""),
        "text": claims["text"],
    }).reset_index(drop=True)
    return View("claims", frame, tables.records)


def render(view: View, fmt: str) -> str:
    """The view as text in one of the text formats (not table or parquet)."""
    if fmt == "csv":
        return view.frame.to_csv(index=False)
    if fmt == "markdown":
        if view.kind == "claims":
            return markdown_table(view.frame)
        return "\n".join(f"## {name}\n\n{markdown_table(part[['key', 'count']])}"
                         for name, part in _sections(view.frame))
    if fmt == "json":
        if view.kind == "claims":
            return json.dumps(view.records, ensure_ascii=False, indent=1) + "\n"
        nested = {name: dict(zip(part["key"], part["count"].astype(int).tolist(), strict=True))
                  for name, part in _sections(view.frame)}
        return json.dumps(nested, ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        rows: Iterable[dict[str, Any]] = (
            view.records if view.kind == "claims" else view.frame.to_dict("records"))
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    raise ValueError(f"{fmt} is not a text format")


def _sections(frame: pd.DataFrame) -> Iterable[tuple[str, pd.DataFrame]]:
    return ((name, frame[frame["section"] == name]) for name in frame["section"].unique())


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; pipes escaped and newlines flattened in cells."""
    def cell(value: Any) -> str:
        text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else value
        return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    numeric = [pd.api.types.is_numeric_dtype(frame[column])
               and not pd.api.types.is_bool_dtype(frame[column]) for column in frame.columns]
    lines = [
        "| " + " | ".join(cell(column) for column in frame.columns) + " |",
        "|" + "|".join("---:" if right else "---" for right in numeric) + "|",
    ]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |"
              for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def rich_view(view: View):
    """A rich renderable: one table per summary section side by side, or the claims table."""
    from rich.columns import Columns
    from rich.table import Table

    if view.kind == "summary":
        tables = []
        for name, part in _sections(view.frame):
            table = Table(title=name, title_justify="left", show_header=False)
            table.add_column("key", overflow="fold", max_width=40)
            table.add_column("count", justify="right")
            for key, count in zip(part["key"], part["count"], strict=True):
                table.add_row(key, str(count))
            tables.append(table)
        return Columns(tables)
    table = Table(expand=True)
    ratios = {"claim_id": 3, "categories": 3, "modality": None, "actors": 2, "text": 7}
    for column, ratio in ratios.items():
        table.add_column(column, ratio=ratio, overflow="fold", no_wrap=ratio is None)
    for row in view.frame[list(ratios)].itertuples(index=False):
        table.add_row(*(str(value) for value in row))
    return table


def write(view: View, fmt: str, output: Path | None) -> None:
    """Print the view on stdout, or write it to `output` atomically."""
    from rich.console import Console

    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet needs -o FILE")
        with atomic_path(output) as tmp:
            view.frame.to_parquet(tmp, index=False)
        return
    if fmt == "table":
        if output is None:
            Console().print(rich_view(view))
            return
        buffer = io.StringIO()
        Console(file=buffer, width=FILE_WIDTH, color_system=None).print(rich_view(view))
        write_text(output, buffer.getvalue())
        return
    text = render(view, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        write_text(output, text)
