"""CaRB-style scoring of Open IE extractions (own implementation).

The matching follows the CaRB paper and /work/shared/carb/README.md:

* A tuple has three slots: the relation, the first argument, and all further
  arguments joined into one.  Slots are compared as multisets of tokens
  (whitespace-split, case-sensitive, punctuation-only tokens dropped).
* A prediction can match a gold tuple only if it shares at least one token with
  the gold relation and one with the gold first argument; the pair then scores
  precision = shared tokens / prediction tokens and
  recall = shared tokens / gold tokens, summed over the three slots.
* Precision: within a sentence, predictions and gold tuples are paired one to
  one, greedily by highest pair precision; each prediction scores the precision
  of its pair (an unpaired prediction scores 0).
* Recall: each gold tuple scores the best recall over all predictions, so one
  prediction may serve several gold tuples.
* The confidence threshold is swept over every distinct confidence; a point is
  (recall, precision) over the predictions at or above the threshold.  F1 is the
  best over the points; AUC is the trapezoidal area under precision as a
  function of recall, starting at recall 0 with the precision of the first
  point (a conservative anchor: no free (0, 1) point is added).

Decisions where the README is silent: gold arguments containing ``C: ``
(context) are dropped, as the official reader does; ``T:``/``L:`` prefixes stay;
predictions for sentences without gold tuples are ignored; every gold tuple
counts in the recall denominator, predicted for or not.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CONTEXT_MARK = "C: "


@dataclass(frozen=True, slots=True)
class Extraction:
    """One Open IE tuple: relation, arguments (arg1 first) and confidence."""

    relation: str
    args: tuple[str, ...]
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Score:
    """Summary of a system on a gold set, plus its precision-recall curve."""

    precision: float
    recall: float
    f1: float
    auc: float
    threshold: float
    curve: tuple[tuple[float, float, float], ...] = field(default=())  # (threshold, P, R)


def sentence_key(sentence: str) -> str:
    """Key that pairs predicted and gold sentences: letters and digits only."""
    return "".join(ch for ch in sentence if ch.isalnum())


def slot_tokens(text: str) -> Counter[str]:
    """Multiset of the whitespace tokens of a slot that hold a letter or digit."""
    return Counter(tok for tok in text.split() if any(ch.isalnum() for ch in tok))


def _slots(ex: Extraction) -> tuple[Counter[str], Counter[str], Counter[str]]:
    arg1 = ex.args[0] if ex.args else ""
    rest = " ".join(ex.args[1:])
    return slot_tokens(ex.relation), slot_tokens(arg1), slot_tokens(rest)


def match(gold: Extraction, pred: Extraction) -> tuple[float, float]:
    """(precision, recall) of `pred` against `gold`; (0, 0) when they do not match."""
    gold_slots, pred_slots = _slots(gold), _slots(pred)
    shared = [sum((g & p).values()) for g, p in zip(gold_slots, pred_slots, strict=True)]
    if shared[0] == 0 or shared[1] == 0:
        return 0.0, 0.0
    n_pred = sum(sum(p.values()) for p in pred_slots)
    n_gold = sum(sum(g.values()) for g in gold_slots)
    total = sum(shared)
    return total / n_pred, total / n_gold


def _greedy_precision(
    pairs: Sequence[tuple[float, int, int]], chosen: set[int], n_gold: int
) -> float:
    """Sum of pair precisions over a greedy one-to-one pairing of gold tuples with
    the `chosen` predictions, best pair first."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    total = 0.0
    budget = min(n_gold, len(chosen))
    for prec, g, p in pairs:
        if len(used_gold) == budget:
            break
        if p in chosen and g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            total += prec
    return total


def sentence_steps(
    gold: Sequence[Extraction], preds: Sequence[Extraction]
) -> Iterator[tuple[float, float, int, float]]:
    """(confidence, precision sum, #predictions, recall sum) for each distinct
    confidence of the sentence's predictions, highest first, cumulative."""
    scores = [[match(g, p) for p in preds] for g in gold]
    pairs = sorted(
        ((scores[gi][pi][0], gi, pi) for gi in range(len(gold)) for pi in range(len(preds))),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    order = sorted(range(len(preds)), key=lambda i: -preds[i].confidence)
    best_recall = [0.0] * len(gold)
    chosen: set[int] = set()
    k = 0
    while k < len(order):
        conf = preds[order[k]].confidence
        while k < len(order) and preds[order[k]].confidence == conf:
            pi = order[k]
            chosen.add(pi)
            for gi in range(len(gold)):
                best_recall[gi] = max(best_recall[gi], scores[gi][pi][1])
            k += 1
        yield conf, _greedy_precision(pairs, chosen, len(gold)), len(chosen), sum(best_recall)


def score(
    gold: Mapping[str, Sequence[Extraction]], predicted: Mapping[str, Sequence[Extraction]]
) -> Score:
    """Score predictions against gold; both map sentence_key -> extractions."""
    n_gold = sum(len(tuples) for tuples in gold.values())
    events: list[tuple[float, float, int, float]] = []  # confidence, dP, dN, dR
    for key, gold_tuples in gold.items():
        prev = (0.0, 0, 0.0)
        for conf, p_sum, n_pred, r_sum in sentence_steps(gold_tuples, predicted.get(key, ())):
            events.append((conf, p_sum - prev[0], n_pred - prev[1], r_sum - prev[2]))
            prev = (p_sum, n_pred, r_sum)
    events.sort(key=lambda e: -e[0])
    curve: list[tuple[float, float, float]] = []
    p_num = r_num = 0.0
    n_pred = 0
    for i, (conf, d_p, d_n, d_r) in enumerate(events):
        p_num, n_pred, r_num = p_num + d_p, n_pred + d_n, r_num + d_r
        if i + 1 < len(events) and events[i + 1][0] == conf:
            continue
        precision = p_num / n_pred if n_pred else 0.0
        recall = r_num / n_gold if n_gold else 0.0
        curve.append((conf, precision, recall))
    if not curve:
        return Score(0.0, 0.0, 0.0, 0.0, math.inf)
    best = max(curve, key=lambda pt: _f1(pt[1], pt[2]))
    return Score(
        precision=best[1],
        recall=best[2],
        f1=_f1(best[1], best[2]),
        auc=pr_auc([(r, p) for _, p, r in curve]),
        threshold=best[0],
        curve=tuple(curve),
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pr_auc(points: Sequence[tuple[float, float]]) -> float:
    """Trapezoidal area under (recall, precision) points given from highest threshold down."""
    if not points:
        return 0.0
    area = 0.0
    prev_r, prev_p = 0.0, points[0][1]
    for recall, precision in points:
        area += (recall - prev_r) * (precision + prev_p) / 2
        prev_r, prev_p = recall, precision
    return area


def read_sentences(path: Path) -> list[str]:
    """The benchmark's sentences, one a line."""
    return [
        line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_gold(path: Path) -> dict[str, list[Extraction]]:
    """Gold tuples (sentence, relation, arg1, arg2, ...) keyed by sentence_key."""
    gold: dict[str, list[Extraction]] = {}
    for row in _rows(path):
        if len(row) < 3:
            continue
        args = tuple(arg for arg in row[2:] if CONTEXT_MARK not in arg)
        gold.setdefault(sentence_key(row[0]), []).append(Extraction(row[1], args))
    return gold


def read_predictions(path: Path) -> dict[str, list[Extraction]]:
    """Tabbed predictions (sentence, confidence, relation, arg1, ...) keyed by sentence_key."""
    predicted: dict[str, list[Extraction]] = {}
    for row in _rows(path):
        if len(row) < 4:
            continue
        ex = Extraction(row[2], tuple(row[3:]), float(row[1]))
        predicted.setdefault(sentence_key(row[0]), []).append(ex)
    return predicted


def write_predictions(path: Path, rows: Iterable[tuple[str, Extraction]]) -> int:
    """Write (sentence, extraction) rows in CaRB's tabbed format; returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for sentence, ex in rows:
            cells = [sentence, f"{ex.confidence:.4f}", ex.relation, *ex.args]
            fh.write("\t".join(_clean_cell(cell) for cell in cells) + "\n")
            count += 1
    return count


def _clean_cell(text: str) -> str:
    return " ".join(text.split())
