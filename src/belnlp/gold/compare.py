"""Two runs scored against the same gold, side by side: `belnlp evaluate --compare`.

A rule edit is judged by what it does to the gold scores. The tables here pair the rows of
two evaluation reports (belnlp.gold.evaluate.report) by metric, document or rule, and give
each number's delta (new − old, from the values as shown, rounded to three decimals).
"""

from __future__ import annotations

from typing import Any

from belnlp.views.tables import DIGITS

Record = dict[str, Any]
DOCUMENT_METRICS = ("claims_f1", "categories_micro_f1", "categories_macro_f1",
                    "entities_exact_f1", "entities_lenient_f1", "actor_accuracy",
                    "relations_f1", "modality_accuracy")
ERROR_KEY = ("doc_id", "error", "category", "start", "end", "text")


def delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, DIGITS)


def _paired(old: list[Record], new: list[Record], key) -> list[tuple[Record, Record]]:
    """Rows of both reports with the same key, in the old report's order, then new keys."""
    old_rows = {key(row): row for row in old}
    new_rows = {key(row): row for row in new}
    keys = list(dict.fromkeys([*old_rows, *new_rows]))
    return [(old_rows.get(k, {}), new_rows.get(k, {})) for k in keys]


def score_rows(old: list[Record], new: list[Record]) -> list[Record]:
    rows = []
    for before, after in _paired(old, new, lambda row: row["metric"]):
        row: Record = {"metric": before.get("metric", after.get("metric"))}
        for value in ("precision", "recall", "f1"):
            row[f"old {value}"] = before.get(value)
            row[f"new {value}"] = after.get(value)
        row["delta f1"] = delta(before.get("f1"), after.get("f1"))
        rows.append(row)
    return rows


def accuracy_rows(old: list[Record], new: list[Record]) -> list[Record]:
    return [{"metric": before.get("metric", after.get("metric")),
             "old": before.get("accuracy"), "new": after.get("accuracy"),
             "delta": delta(before.get("accuracy"), after.get("accuracy"))}
            for before, after in _paired(old, new, lambda row: row["metric"])]


def document_rows(old: list[Record], new: list[Record]) -> list[Record]:
    """Per document, the scores that differ between the runs (overall included)."""
    rows = []
    for before, after in _paired(old, new, lambda row: row["doc_id"]):
        for metric in DOCUMENT_METRICS:
            if before.get(metric) != after.get(metric):
                rows.append({"doc_id": before.get("doc_id", after.get("doc_id")),
                             "metric": metric, "old": before.get(metric),
                             "new": after.get(metric),
                             "delta": delta(before.get(metric), after.get(metric))})
    return rows


def rule_rows(old: list[Record], new: list[Record]) -> list[Record]:
    """Per rule: fires and precision in each run."""
    return [{"rule": before.get("rule", after.get("rule")),
             "category": before.get("category", after.get("category")),
             "old fires": before.get("fires", 0), "new fires": after.get("fires", 0),
             "old precision": before.get("precision"), "new precision": after.get("precision"),
             "delta precision": delta(before.get("precision"), after.get("precision"))}
            for before, after in _paired(old, new, lambda row: (row["rule"], row["category"]))]


def error_changes(old: list[Record], new: list[Record]) -> tuple[list[Record], list[Record]]:
    """Errors of the old run the new one no longer makes, and errors it makes anew."""
    def key(error: Record) -> tuple:
        return tuple(error.get(name) for name in ERROR_KEY)

    old_keys, new_keys = {key(e) for e in old}, {key(e) for e in new}
    return ([e for e in old if key(e) not in new_keys],
            [e for e in new if key(e) not in old_keys])


def compare(old: dict[str, list[Record]], new: dict[str, list[Record]]
            ) -> dict[str, list[Record]]:
    """The side-by-side tables of two reports made with the same options."""
    tables = {"scores": score_rows(old["scores"], new["scores"]),
              "accuracy": accuracy_rows(old["accuracy"], new["accuracy"]),
              "documents changed": document_rows(old["documents"], new["documents"])}
    if "errors" in old:
        tables["errors fixed"], tables["errors introduced"] = error_changes(old["errors"],
                                                                            new["errors"])
    if "rules" in old:
        tables["rules"] = rule_rows(old["rules"], new["rules"])
    return tables
