"""Attribution gold: checking it, merging attribution files into the gold, and scoring.

A gold sentence may carry `attribution`: null for the author's own claim, or
{speaker, actor, cue, type} with speaker and cue as substrings of the sentence. Left out,
the sentence's attribution is not annotated and not scored.

An attribution file (as in gold-dev/attribution/) holds one line per claim sentence,
{start, end, text, attribution}, for the gold document whose doc_id is the file's stem; the
lines are merged into that document's sentence lines by their offsets.

Scores, over gold claims whose attribution is annotated, each against the predicted claim
aligned by the largest overlap: detection precision, recall and F1 (attributed or not;
attributed predicted claims matching no gold claim in an annotated document are false
positives), and on the claims both sides call attributed: speaker text exact match, speaker
actor, cue text (case-insensitive) and type (direct/indirect).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from belnlp.gold.goldset import GoldDocument, GoldError, check_attribution
from belnlp.jsonl import numbered_records
from belnlp.records import schema

if TYPE_CHECKING:
    from belnlp.gold.evaluate import Accuracy, Alignment, Score

Record = dict[str, Any]
FILE_KEYS = frozenset({"start", "end", "text", "attribution"})


def merge_attribution(documents: list[GoldDocument], paths: Iterable[str | Path]) -> None:
    """Set each gold sentence's `attribution` from attribution files or directories."""
    by_id = {document.doc_id: document for document in documents}
    for given in paths:
        path = Path(given)
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file()) if path.is_dir() \
            else [path]
        if not files or not path.exists():
            raise GoldError(f"{path}: no attribution .jsonl files here")
        for file in files:
            document = by_id.get(file.stem)
            if document is not None:
                _merge_file(document, file)


def _merge_file(document: GoldDocument, path: Path) -> None:
    validator = Draft202012Validator(_attribution_schema())
    sentences = {(s["start"], s["end"]): s for s in document.sentences}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    for record, where in numbered_records(lines, str(path), GoldError):
        if not isinstance(record, dict) or not FILE_KEYS <= set(record) or set(record) - FILE_KEYS:
            raise GoldError(f"{where}: an attribution line has exactly the keys "
                            f"{sorted(FILE_KEYS)}")
        if not validator.is_valid(record["attribution"]):
            error = best_match(validator.iter_errors(record["attribution"]))
            raise GoldError(f"{where}: attribution: {error.message}")
        sentence = sentences.get((record["start"], record["end"]))
        if sentence is None or sentence["text"] != record["text"]:
            raise GoldError(f"{where}: no sentence of gold document {document.doc_id!r} at "
                            f"{record['start']}-{record['end']} with this text")
        check_attribution(record, where)
        sentence["attribution"] = record["attribution"]


def _attribution_schema() -> Record:
    return schema("gold")["oneOf"][1]["properties"]["attribution"]


# --- scores -------------------------------------------------------------------------------


@dataclass(slots=True)
class AttributionScores:
    """Attribution detection and, on claims both sides attribute, the agreement of parts."""

    detection: Score
    speaker: Accuracy
    actor: Accuracy
    cue: Accuracy
    type: Accuracy
    errors: list[Record] = field(default_factory=list)

    def __add__(self, other: AttributionScores) -> AttributionScores:
        return AttributionScores(self.detection + other.detection, self.speaker + other.speaker,
                                 self.actor + other.actor, self.cue + other.cue,
                                 self.type + other.type, self.errors + other.errors)


def empty_scores() -> AttributionScores:
    from belnlp.gold.evaluate import Accuracy, Score

    return AttributionScores(Score(), Accuracy(), Accuracy(), Accuracy(), Accuracy())


def attribution_scores(alignment: Alignment) -> AttributionScores:
    """The attribution scores of one document's alignment (nothing where not annotated)."""
    scores = empty_scores()
    annotated = [(gold, preds) for gold, preds in alignment.groups if "attribution" in gold]
    if not annotated:
        return scores
    for gold, preds in annotated:
        wanted = gold["attribution"]
        got = preds[0].get("attribution") if preds else None
        scores.detection.gold += wanted is not None
        scores.detection.pred += got is not None
        if wanted is None or got is None:
            if wanted is not None or got is not None:
                scores.errors.append(_error(gold, wanted, got))
            continue
        scores.detection.found += 1
        scores.detection.correct += 1
        agree = {"speaker": got["speaker"]["text"] == wanted["speaker"],
                 "actor": got["speaker"]["actor"] == wanted["actor"],
                 "cue": got["cue"]["text"].casefold() == wanted["cue"].casefold(),
                 "type": got["type"] == wanted["type"]}
        for name, same in agree.items():
            accuracy = getattr(scores, name)
            accuracy.total += 1
            accuracy.correct += same
        if not all(agree.values()):
            scores.errors.append(_error(gold, wanted, got))
    for pred in alignment.unmatched:
        if pred.get("attribution") is not None:
            scores.detection.pred += 1
            scores.errors.append(_error(pred, None, pred["attribution"]))
    return scores


def _error(sentence: Record, wanted: Record | None, got: Record | None) -> Record:
    kind = ("attribution FN" if got is None else "attribution FP" if wanted is None
            else "attribution parts")
    return {"error": kind, "category": None, "rules": _describe(wanted, got),
            "start": sentence["start"], "end": sentence["end"], "text": sentence["text"]}


def _describe(wanted: Record | None, got: Record | None) -> str:
    parts = []
    if wanted is not None:
        parts.append(f"gold {wanted['speaker']!r} ({wanted['actor']}) {wanted['cue']!r} "
                     f"{wanted['type']}")
    if got is not None:
        parts.append(f"pred {got['speaker']['text']!r} ({got['speaker']['actor']}) "
                     f"{got['cue']['text']!r} {got['type']} [{got['cue']['rule']}]")
    return "; ".join(parts)


def attribution_accuracies(scores: AttributionScores) -> list[tuple[str, Accuracy]]:
    """The accuracy rows of the evaluation table, on claims both sides attribute."""
    return [("attribution speaker exact", scores.speaker),
            ("attribution speaker actor", scores.actor),
            ("attribution cue", scores.cue),
            ("attribution type", scores.type)]
