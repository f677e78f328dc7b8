"""Scoring claim records against the gold set, per document and overall.

Alignment. A gold claim and a predicted claim match when their character spans overlap by
more than half of the shorter one. A gold claim is found when some predicted claim matches
it; a predicted claim is correct when it matches some gold claim, and a false positive when
it overlaps only non-claim gold sentences or nothing. A claim the segmenter split in two, or
two claims it merged, therefore costs nothing in detection. The predicted claims matching a
gold claim are its aligned claims (largest overlap first).

Categories are compared per gold claim with the union of its aligned claims' categories; a
missed gold claim's categories are false negatives, a false-positive claim's categories false
positives. Entities (PERSON NORP FAC ORG GPE LOC EVENT LAW only) are compared inside gold
claim sentences: exactly (same span and label) and leniently (overlapping spans, same label,
one to one); actor accuracy is measured on the exact matches. Modality is compared with the
claim aligned by the largest overlap.

Lenient relation match: a predicted relation of an aligned claim matches a gold relation of
that gold claim when the head words of the subjects are equal, the head words of the objects
are equal (or both objects are absent) and the lemmas of the predicates' main verbs are equal.
The head word of an argument is the syntactic root of the argument text parsed on its own;
the main verb of a predicate is the root of the predicate text parsed on its own when that is
a verb, else its first verb or auxiliary. Both are lower-cased and computed with the same
pipeline for gold and predicted strings. A missed gold claim's relations are false negatives;
relations of false-positive claims are not counted.

A layer that the gold leaves out (see belnlp.gold.goldset) is not scored for that sentence or
document. Precision, recall and F1 are None where there is nothing in the gold and nothing
predicted, else 0.0 where their denominator is 0; accuracies with nothing to count are None.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from belnlp.gold.attribution import (
    AttributionScores,
    attribution_accuracies,
    attribution_scores,
    empty_scores,
)
from belnlp.gold.goldset import GoldDocument
from belnlp.jsonl import numbered_records
from belnlp.views.tables import DIGITS
from belnlp.views.tables import cell as _cell
from belnlp.views.tables import markdown_table as _markdown_table
from belnlp.views.tables import text_table as _text_table

EVAL_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "EVENT", "LAW"})
VERB_POS = ("VERB", "AUX")
FORMATS = ("table", "json", "markdown")

Record = dict[str, Any]
RelationKey = tuple[str, str, str | None]


class PredictionError(ValueError):
    """A predictions file that cannot be scored against the gold; names file, line, problem."""


@dataclass(slots=True)
class Score:
    """Counts behind precision and recall, kept apart for the gold and predicted sides
    because claim alignment is not one to one."""

    gold: int = 0
    pred: int = 0
    found: int = 0  # gold items matched
    correct: int = 0  # predicted items matched

    @property
    def empty(self) -> bool:
        """Nothing in the gold and nothing predicted: there is no score to give."""
        return not self.gold and not self.pred

    @property
    def precision(self) -> float | None:
        if self.empty:
            return None
        return self.correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float | None:
        if self.empty:
            return None
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float | None:
        if self.empty:
            return None
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(slots=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)


@dataclass(slots=True)
class RuleStat:
    """How often a rule fired, on how many aligned claims, and how often the gold agreed."""

    fires: int = 0
    aligned: int = 0
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.aligned if self.aligned else None

    def __add__(self, other: RuleStat) -> RuleStat:
        return RuleStat(self.fires + other.fires, self.aligned + other.aligned,
                        self.correct + other.correct)


@dataclass(slots=True)
class Result:
    """All scores of one document, or of several summed (doc_id "overall")."""

    doc_id: str
    held_out: bool | None
    claims: Score = field(default_factory=Score)
    categories: dict[str, Score] = field(default_factory=dict)
    entities_exact: Score = field(default_factory=Score)
    entities_lenient: Score = field(default_factory=Score)
    actors: Accuracy = field(default_factory=Accuracy)
    relations: Score = field(default_factory=Score)
    modality: Accuracy = field(default_factory=Accuracy)
    rules: dict[tuple[str, str], RuleStat] = field(default_factory=dict)
    errors: list[Record] = field(default_factory=list)
    attribution: AttributionScores = field(default_factory=empty_scores)


@dataclass(frozen=True, slots=True)
class Alignment:
    """Each gold claim with its aligned predicted claims, and the predicted claims left over."""

    groups: list[tuple[Record, list[Record]]]
    predicted: list[Record]
    unmatched: list[Record]


# --- alignment and metrics ----------------------------------------------------------------


def overlap(a: Record, b: Record) -> int:
    """Characters shared by two spans."""
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def matches(a: Record, b: Record) -> bool:
    """True when two spans overlap by more than half of the shorter one."""
    shorter = min(a["end"] - a["start"], b["end"] - b["start"])
    return shorter > 0 and 2 * overlap(a, b) > shorter


def align(gold_claims: list[Record], predicted: list[Record]) -> Alignment:
    """Predicted claims aligned to gold claims by character overlap."""
    groups = []
    used: set[int] = set()
    for gold in gold_claims:
        hits = [i for i, pred in enumerate(predicted) if matches(gold, pred)]
        hits.sort(key=lambda i: -overlap(gold, predicted[i]))
        used.update(hits)
        groups.append((gold, [predicted[i] for i in hits]))
    unmatched = [pred for i, pred in enumerate(predicted) if i not in used]
    return Alignment(groups, list(predicted), unmatched)


def claim_score(alignment: Alignment) -> Score:
    """Claim detection: gold claims found, predicted claims matching a gold claim."""
    correct = len(alignment.predicted) - len(alignment.unmatched)
    found = sum(1 for _, preds in alignment.groups if preds)
    return Score(len(alignment.groups), len(alignment.predicted), found, correct)


def _category_units(alignment: Alignment) -> Iterator[tuple[Record, list[Record], set, set]]:
    """(sentence, predicted claims, gold categories, predicted categories) per gold claim and
    per unmatched predicted claim."""
    for gold, preds in alignment.groups:
        yield gold, preds, set(gold.get("categories", ())), _categories(preds)
    for pred in alignment.unmatched:
        yield pred, [pred], set(), _categories([pred])


def _categories(claims: Iterable[Record]) -> set[str]:
    return {category for claim in claims for category in claim.get("categories", ())}


def category_scores(alignment: Alignment) -> dict[str, Score]:
    """Per category: gold claims with it, predictions with it, and their agreement."""
    scores: dict[str, Score] = defaultdict(Score)
    for _, _, gold, pred in _category_units(alignment):
        for category in gold | pred:
            score = scores[category]
            both = int(category in gold and category in pred)
            score.gold += int(category in gold)
            score.pred += int(category in pred)
            score.found += both
            score.correct += both
    return dict(sorted(scores.items()))


def micro(scores: Mapping[str, Score]) -> Score:
    """Category counts summed over categories."""
    return sum(scores.values(), Score())


def macro(scores: Mapping[str, Score]) -> tuple[float, float, float] | None:
    """Mean precision, recall and F1 over the categories present in gold or predictions."""
    if not scores:
        return None
    n = len(scores)
    return (sum(s.precision for s in scores.values()) / n,
            sum(s.recall for s in scores.values()) / n,
            sum(s.f1 for s in scores.values()) / n)


def entity_scores(gold_claims: list[Record], predicted: list[Record]
                  ) -> tuple[Score, Score, Accuracy]:
    """Exact and lenient entity scores and actor accuracy, inside gold claim sentences."""
    sentences = [claim for claim in gold_claims if "entities" in claim]
    gold = [e for claim in sentences for e in claim["entities"] if e["label"] in EVAL_LABELS]
    pred = [e for claim in predicted for e in claim.get("entities", ())
            if e["label"] in EVAL_LABELS
            and any(s["start"] <= e["start"] and e["end"] <= s["end"] for s in sentences)]
    exact = _pair_entities(gold, pred, lambda g, p: g["start"] == p["start"]
                           and g["end"] == p["end"])
    lenient = _pair_entities(gold, pred, lambda g, p: overlap(g, p) > 0)
    actors = Accuracy()
    for g, p in exact:
        if "actor" in g:
            actors.total += 1
            actors.correct += int(g["actor"] == p.get("actor"))
    n_gold, n_pred = len(gold), len(pred)
    return (Score(n_gold, n_pred, len(exact), len(exact)),
            Score(n_gold, n_pred, len(lenient), len(lenient)), actors)


def _pair_entities(gold: list[Record], pred: list[Record],
                   fits: Callable[[Record, Record], bool]) -> list[tuple[Record, Record]]:
    """One-to-one pairs of same-label entities that fit, largest overlap first."""
    candidates = sorted(
        ((overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)
         if g["label"] == p["label"] and fits(g, p)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    pairs, used_gold, used_pred = [], set(), set()
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((gold[i], pred[j]))
    return pairs


def relation_score(alignment: Alignment, key: Callable[[Record], RelationKey]) -> Score:
    """Lenient relation matches between each gold claim and its aligned claims."""
    score = Score()
    for gold, preds in alignment.groups:
        if "relations" not in gold:
            continue
        wanted = Counter(key(relation) for relation in gold["relations"])
        score.gold += sum(wanted.values())
        if not preds:
            continue
        offered = Counter(key(relation) for pred in preds for relation in pred.get("relations", ()))
        hits = sum((wanted & offered).values())
        score.pred += sum(offered.values())
        score.found += hits
        score.correct += hits
    return score


def modality_accuracy(alignment: Alignment) -> Accuracy:
    """Gold modality against the modality of the claim aligned by the largest overlap."""
    accuracy = Accuracy()
    for gold, preds in alignment.groups:
        if preds and gold.get("modality") is not None:
            accuracy.total += 1
            accuracy.correct += int(preds[0].get("modality") == gold["modality"])
    return accuracy


def rule_stats(alignment: Alignment, categories_annotated: bool) -> dict[tuple[str, str], RuleStat]:
    """Per (rule, category): claims it fired on, aligned ones, and those whose gold agrees."""
    stats: dict[tuple[str, str], RuleStat] = defaultdict(RuleStat)
    for pred in alignment.predicted:
        for fired in _fired(pred):
            stats[fired].fires += 1
    if categories_annotated:
        for gold, preds in alignment.groups:
            wanted = set(gold.get("categories", ()))
            for pred in preds:
                for rule, category in _fired(pred):
                    stats[rule, category].aligned += 1
                    stats[rule, category].correct += int(category in wanted)
    return dict(stats)


def _fired(claim: Record) -> set[tuple[str, str]]:
    return {(item["rule"], item["category"]) for item in claim.get("evidence", ())}


def claim_errors(alignment: Alignment) -> list[Record]:
    """Every missed gold claim (FN) and every unmatched predicted claim (FP)."""
    missed = [_error("claim FN", gold) for gold, preds in alignment.groups if not preds]
    return missed + [_error("claim FP", pred) for pred in alignment.unmatched]


def category_errors(alignment: Alignment) -> list[Record]:
    """Every category given without gold support (FP) or missed (FN), with its sentence."""
    errors = []
    for sentence, preds, gold, pred in _category_units(alignment):
        for category in sorted(pred - gold):
            rules = sorted({item["rule"] for claim in preds for item in claim.get("evidence", ())
                            if item["category"] == category})
            errors.append(_error("category FP", sentence, category, ", ".join(rules)))
        for category in sorted(gold - pred):
            errors.append(_error("category FN", sentence, category))
    return errors


def _error(kind: str, sentence: Record, category: str | None = None,
           rules: str | None = None) -> Record:
    return {"error": kind, "category": category, "rules": rules, "start": sentence["start"],
            "end": sentence["end"], "text": sentence["text"]}


def evaluate_document(document: GoldDocument, predicted: list[Record],
                      key: Callable[[Record], RelationKey]) -> Result:
    """Every score of one gold document against its predicted claims."""
    gold_claims = document.claims
    alignment = align(gold_claims, predicted)
    categories_annotated = all("categories" in claim for claim in gold_claims)
    exact, lenient, actors = entity_scores(gold_claims, predicted)
    errors = claim_errors(alignment)
    if categories_annotated:
        errors += category_errors(alignment)
    attribution = attribution_scores(alignment)
    errors += attribution.errors
    errors.sort(key=lambda error: (error["start"], error["error"], error["category"] or ""))
    return Result(
        doc_id=document.doc_id,
        held_out=document.held_out,
        claims=claim_score(alignment),
        categories=category_scores(alignment) if categories_annotated else {},
        entities_exact=exact,
        entities_lenient=lenient,
        actors=actors,
        relations=relation_score(alignment, key),
        modality=modality_accuracy(alignment),
        rules=rule_stats(alignment, categories_annotated),
        errors=[{"doc_id": document.doc_id, **error} for error in errors],
        attribution=attribution,
    )


def total(results: Iterable[Result]) -> Result:
    """The scores of several documents summed into one overall result."""
    overall = Result(doc_id="overall", held_out=None)
    for result in results:
        overall.claims += result.claims
        for category, score in result.categories.items():
            overall.categories[category] = overall.categories.get(category, Score()) + score
        overall.entities_exact += result.entities_exact
        overall.entities_lenient += result.entities_lenient
        overall.actors += result.actors
        overall.relations += result.relations
        overall.modality += result.modality
        for rule, stat in result.rules.items():
            overall.rules[rule] = overall.rules.get(rule, RuleStat()) + stat
        overall.errors += result.errors
        overall.attribution += result.attribution
    overall.categories = dict(sorted(overall.categories.items()))
    return overall


# --- relation keys ------------------------------------------------------------------------


def phrase_heads(nlp: Language, texts: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each phrase: (head word, main-verb lemma), lower-cased, from parsing it alone."""
    unique = sorted(set(texts))
    return {text: (_head(doc), _main_verb(doc))
            for text, doc in zip(unique, nlp.pipe(unique), strict=True)}


def _head(doc: Doc) -> str:
    return doc[:].root.lower_ if len(doc) else ""


def _main_verb(doc: Doc) -> str:
    if not len(doc):
        return ""
    root = doc[:].root
    if root.pos_ not in VERB_POS:
        root = next((t for t in doc if t.pos_ == "VERB"),
                    next((t for t in doc if t.pos_ == "AUX"), root))
    return root.lemma_.lower()


def _slot_text(value: Any) -> str | None:
    """An argument's text: gold gives a string, claim records an object with "text"."""
    if isinstance(value, dict):
        return value.get("text")
    return value


def relation_phrases(documents: Iterable[GoldDocument],
                     predictions: Mapping[str, list[Record]]) -> Iterator[str]:
    """Every subject, predicate and object text that relation matching will look up."""
    relations = [relation for document in documents for sentence in document.sentences
                 for relation in sentence.get("relations", ())]
    relations += [relation for claims in predictions.values() for claim in claims
                  for relation in claim.get("relations", ())]
    for relation in relations:
        for slot in ("subject", "predicate", "object"):
            text = _slot_text(relation.get(slot))
            if text is not None:
                yield text


def relation_key(heads: Mapping[str, tuple[str, str]]) -> Callable[[Record], RelationKey]:
    """The lenient relation match as a key: (subject head, predicate verb, object head)."""

    def key(relation: Record) -> RelationKey:
        obj = _slot_text(relation.get("object"))
        return (heads[_slot_text(relation["subject"])][0],
                heads[_slot_text(relation["predicate"])][1],
                heads[obj][0] if obj is not None else None)

    return key


def evaluate(documents: list[GoldDocument], predictions: Mapping[str, list[Record]],
             nlp: Language) -> list[Result]:
    """Per-document results; `nlp` parses relation arguments for the lenient match."""
    key = relation_key(phrase_heads(nlp, relation_phrases(documents, predictions)))
    return [evaluate_document(document, predictions.get(document.doc_id, []), key)
            for document in documents]


# --- predictions from a claims file -------------------------------------------------------


def read_predictions(path: str | Path, documents: list[GoldDocument]) -> dict[str, list[Record]]:
    """Claim records of a claims JSONL file, grouped by the gold doc_id they belong to.

    Records of other documents are skipped; a record whose text is not the gold text at its
    offsets means it was extracted from another text, and is an error.
    """
    texts = {document.doc_id: document.text for document in documents}
    predictions: dict[str, list[Record]] = {doc_id: [] for doc_id in texts}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PredictionError(f"{path}: cannot read: {exc}") from None
    for record, where in numbered_records(lines, str(path), PredictionError):
        if not _is_claim(record):
            raise PredictionError(f"{where}: not a claim record (needs doc_id, text, start, end)")
        text = texts.get(record["doc_id"])
        if text is None:
            continue
        if text[record["start"]:record["end"]] != record["text"]:
            raise PredictionError(
                f"{where}: the claim's text is not the gold text of {record['doc_id']!r} at "
                f"{record['start']}-{record['end']}; extract from `belnlp gold export` output")
        predictions[record["doc_id"]].append(record)
    if not any(predictions.values()):
        raise PredictionError(f"{path}: no claim has the doc_id of a selected gold document; "
                              "extract from `belnlp gold export` output")
    return predictions


def _is_claim(record: Any) -> bool:
    return (isinstance(record, dict) and isinstance(record.get("doc_id"), str)
            and isinstance(record.get("text"), str) and isinstance(record.get("start"), int)
            and isinstance(record.get("end"), int))


# --- report -------------------------------------------------------------------------------


def report(results: list[Result], *, errors: bool = False, by_rule: bool = False
           ) -> dict[str, list[Record]]:
    """The tables of an evaluation as rows, numbers rounded as they are shown."""
    overall = total(results)
    tables = {"scores": score_rows(overall), "accuracy": accuracy_rows(overall),
              "documents": document_rows([*results, overall])}
    if errors:
        tables["errors"] = overall.errors
    if by_rule:
        tables["rules"] = rule_rows(overall)
    return tables


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _score_row(metric: str, score: Score) -> Record:
    return {"metric": metric, "gold": score.gold, "pred": score.pred, "found": score.found,
            "correct": score.correct, "precision": _round(score.precision),
            "recall": _round(score.recall), "f1": _round(score.f1)}


def score_rows(result: Result) -> list[Record]:
    """Precision, recall and F1 of every scored layer, with the counts behind them."""
    rows = [_score_row("claims", result.claims),
            _score_row("categories micro", micro(result.categories))]
    averages = macro(result.categories) or (None, None, None)
    rows.append({"metric": "categories macro", "gold": None, "pred": None, "found": None,
                 "correct": None, **dict(zip(("precision", "recall", "f1"),
                                             map(_round, averages), strict=True))})
    rows += [_score_row(f"category {name}", score) for name, score in result.categories.items()]
    rows += [_score_row("entities exact", result.entities_exact),
             _score_row("entities lenient", result.entities_lenient),
             _score_row("relations lenient", result.relations)]
    if not result.attribution.detection.empty:
        rows.append(_score_row("attribution detection", result.attribution.detection))
    return rows


def accuracy_rows(result: Result) -> list[Record]:
    accuracies = [("actors (exact entities)", result.actors),
                  ("modality (aligned claims)", result.modality)]
    if not result.attribution.detection.empty:
        accuracies += attribution_accuracies(result.attribution)
    return [{"metric": metric, "correct": acc.correct, "total": acc.total,
             "accuracy": _round(acc.accuracy)} for metric, acc in accuracies]


def document_rows(results: list[Result]) -> list[Record]:
    """One row of F1 scores and accuracies per document."""
    rows = []
    for result in results:
        averages = macro(result.categories)
        rows.append({
            "doc_id": result.doc_id,
            "held_out": result.held_out,
            "claims_f1": _round(result.claims.f1),
            "categories_micro_f1": _round(micro(result.categories).f1),
            "categories_macro_f1": _round(averages[2]) if averages else None,
            "entities_exact_f1": _round(result.entities_exact.f1),
            "entities_lenient_f1": _round(result.entities_lenient.f1),
            "actor_accuracy": _round(result.actors.accuracy),
            "relations_f1": _round(result.relations.f1),
            "modality_accuracy": _round(result.modality.accuracy),
        })
    return rows


def rule_rows(result: Result) -> list[Record]:
    return [{"rule": rule, "category": category, "fires": stat.fires, "aligned": stat.aligned,
             "correct": stat.correct, "precision": _round(stat.precision)}
            for (rule, category), stat in sorted(result.rules.items())]


def render(tables: dict[str, list[Record]], fmt: str, header: Record) -> str:
    """The report as aligned text tables, Markdown tables or one JSON object."""
    if fmt == "json":
        return json.dumps({**header, **tables}, ensure_ascii=False, indent=2)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    title = ", ".join(f"{name} {_cell(value)}" for name, value in header.items())
    parts = [f"belnlp evaluate: {title}"]
    for name, rows in tables.items():
        parts.append(f"{name}:")
        parts.append(_text_table(rows) if fmt == "table" else _markdown_table(rows))
    return "\n\n".join(parts)
