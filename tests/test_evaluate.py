"""Every evaluation metric on a miniature gold/prediction pair counted by hand."""

import json
import re

import pytest
from typer.testing import CliRunner

import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.gold.evaluate import (
    align,
    evaluate,
    matches,
    phrase_heads,
    render,
    report,
    total,
)
from belnlp.gold.goldset import GoldDocument

TITLE = "Belarus and the union"
S1 = "Russia sold gas to Belarus in 1999."
S2 = "NATO troops may gather near Minsk."
S3 = "Lukashenko needs Russian money and weapons."
S4 = "Please enter your comment!"
TEXT = f"{TITLE}\n\n{S1} {S2} {S3}\n\n{S4}"
OTHER_TEXT = "Poland builds a fence."


@pytest.fixture(scope="module")
def nlp():
    return belnlp.nlp.pipeline.build_nlp()


def at(piece, text=TEXT, inside=None):
    start = text.index(piece, text.index(inside) if inside else 0)
    return {"text": piece, "start": start, "end": start + len(piece)}


def entity(piece, label, actor=None, inside=None):
    return {**at(piece, inside=inside), "label": label, "actor": actor}


def sentence(piece, claim=True, categories=(), modality="asserted", entities=(),
             relations=(), text=TEXT):
    return {"type": "sentence", **at(piece, text), "claim": claim,
            "kind": "body" if claim else "furniture", "categories": list(categories),
            "modality": modality if claim else None, "entities": list(entities),
            "relations": [dict(zip(("subject", "predicate", "object"), triple, strict=True))
                          for triple in relations]}


def argument(piece):
    return {"text": piece, "start": 0, "end": 0, "actor": None}


def claim(piece, categories=(), evidence=(), entities=(), relations=(), modality="asserted",
          doc_id="mini", text=TEXT):
    return {"doc_id": doc_id, **at(piece, text), "categories": list(categories),
            "evidence": [{"category": c, "rule": r, "match": "", "start": 0, "end": 0}
                         for r, c in evidence],
            "entities": list(entities),
            "relations": [{"subject": argument(s), "predicate": argument(p),
                           "object": argument(o) if o is not None else None,
                           "negated": False, "modality": modality} for s, p, o in relations],
            "modality": modality}


GOLD = GoldDocument(
    doc_id="mini", text=TEXT, title=TITLE, date=None, held_out=False, source="mini.jsonl",
    sentences=[
        sentence(TITLE, claim=False),
        sentence(S1, categories=["economic", "historical"],
                 entities=[entity("Russia", "GPE", "RUS"), entity("Belarus", "GPE", "BLR", S1)],
                 relations=[("Russia", "sold", "gas")]),
        sentence(S2, categories=["military"], modality="possible",
                 entities=[entity("NATO", "ORG", "NATO"), entity("Minsk", "GPE", "BLR")],
                 relations=[("NATO troops", "may gather near", "Minsk")]),
        sentence(S3, categories=["economic", "military"],
                 entities=[entity("Lukashenko", "PERSON", "BLR"),
                           entity("Russian", "NORP", "RUS")],
                 relations=[("Lukashenko", "needs", "Russian money and weapons")]),
        sentence(S4, claim=False),
    ],
)
P1 = claim(S1, categories=["economic"], evidence=[("econ.energy", "economic")],
           entities=[entity("Russia", "GPE", "RUS"), entity("Belarus", "GPE", None, S1),
                     entity("1999", "DATE")],
           relations=[("Russia", "sold", "natural gas"), ("Russia", "sold", "Belarus")],
           modality="predicted")
P2A = claim("NATO troops may gather", categories=["military"],
            evidence=[("mil.forces", "military")], entities=[entity("NATO troops", "ORG", "NATO")],
            relations=[("NATO troops", "may gather", None)], modality="possible")
P2B = claim("near Minsk.", categories=["historical"], evidence=[("hist.since_date", "historical")],
            entities=[entity("Minsk", "PERSON", "BLR")])
P4 = claim(S4, categories=["economic"],
           evidence=[("econ.money", "economic"), ("econ.energy", "economic")],
           entities=[entity("Please", "PERSON")], relations=[("Please", "enter", "your comment")])
PREDICTED = [P1, P2A, P2B, P4]

OTHER = GoldDocument(
    doc_id="other", text=OTHER_TEXT, title=None, date=None, held_out=True, source="o.jsonl",
    sentences=[sentence(OTHER_TEXT, text=OTHER_TEXT)],
)
OTHER_PREDICTED = [claim(OTHER_TEXT, doc_id="other", text=OTHER_TEXT)]


@pytest.fixture(scope="module")
def results(nlp):
    return evaluate([GOLD, OTHER], {"mini": PREDICTED, "other": OTHER_PREDICTED}, nlp)


def test_spans_match_when_they_overlap_by_more_than_half_the_shorter():
    # 5 of the shorter 10 characters is exactly half: no match; 6 of 10 is more
    assert not matches({"start": 0, "end": 10}, {"start": 5, "end": 20})
    assert matches({"start": 0, "end": 10}, {"start": 4, "end": 20})
    assert not matches({"start": 0, "end": 0}, {"start": 0, "end": 5})


def test_alignment_keeps_split_claims_together_largest_overlap_first():
    alignment = align(GOLD.claims, PREDICTED)
    assert [preds for _, preds in alignment.groups] == [[P1], [P2A, P2B], []]
    assert alignment.unmatched == [P4]


def test_relation_heads_used_in_the_hand_counts(nlp):
    heads = phrase_heads(nlp, ["NATO troops", "natural gas", "may gather near", "sold",
                               "Russian money and weapons"])
    assert heads["NATO troops"][0] == "troops"
    assert heads["natural gas"][0] == "gas"
    assert heads["may gather near"][1] == "gather"
    assert heads["sold"][1] == "sell"
    assert heads["Russian money and weapons"][0] == "money"


def test_claim_detection(results):
    mini = results[0].claims
    # gold claims S1 S2 S3: S1 found by P1, S2 by P2A and P2B (a split), S3 missed -> 2 of 3
    # predicted P1 P2A P2B P4: P4 overlaps only the furniture line -> 3 of 4 correct
    assert (mini.gold, mini.found, mini.pred, mini.correct) == (3, 2, 4, 3)
    assert mini.precision == pytest.approx(0.75)
    assert mini.recall == pytest.approx(2 / 3)
    assert mini.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))  # 0.70588


def test_categories_per_category_micro_and_macro(results):
    cats = results[0].categories
    # S1 gold {economic, historical} vs P1 {economic}: economic TP, historical FN
    # S2 gold {military} vs P2A|P2B {military, historical}: military TP, historical FP
    # S3 gold {economic, military}, missed: economic FN, military FN
    # P4 unmatched {economic}: economic FP
    assert {name: (s.gold, s.pred, s.found) for name, s in cats.items()} == {
        "economic": (2, 2, 1), "historical": (1, 1, 0), "military": (2, 1, 1)}
    assert (cats["economic"].precision, cats["economic"].recall) == (0.5, 0.5)
    assert (cats["historical"].precision, cats["historical"].f1) == (0.0, 0.0)
    assert cats["military"].precision == 1.0
    assert cats["military"].recall == 0.5
    assert cats["military"].f1 == pytest.approx(2 / 3)
    rows = {row["metric"]: row for row in report(results)["scores"]}
    # micro: gold 5, pred 4, TP 2 -> P 0.5, R 0.4, F1 0.4/0.9 = 0.444
    micro = rows["categories micro"]
    assert (micro["gold"], micro["pred"], micro["found"]) == (5, 4, 2)
    assert (micro["precision"], micro["recall"], micro["f1"]) == (0.5, 0.4, 0.444)
    # macro: P (0.5+0+1)/3 = 0.5, R (0.5+0+0.5)/3 = 0.333, F1 (0.5+0+0.667)/3 = 0.389
    macro = rows["categories macro"]
    assert (macro["precision"], macro["recall"], macro["f1"]) == (0.5, 0.333, 0.389)


def test_entities_exact_lenient_and_actors(results):
    mini = results[0]
    # gold in claim sentences: Russia Belarus NATO Minsk Lukashenko Russian = 6
    # predicted inside gold claims, evaluated labels only (1999 DATE dropped, "Please" lies
    # in furniture): Russia, Belarus, "NATO troops" ORG, Minsk PERSON = 4
    # exact: Russia, Belarus = 2 -> P 2/4, R 2/6, F1 0.4
    exact = mini.entities_exact
    assert (exact.gold, exact.pred, exact.found, exact.correct) == (6, 4, 2, 2)
    assert exact.f1 == pytest.approx(0.4)
    # lenient adds "NATO troops" ~ "NATO" (same label, overlapping); Minsk differs in label
    # -> 3: P 3/4, R 3/6, F1 0.6
    lenient = mini.entities_lenient
    assert (lenient.found, lenient.pred) == (3, 4)
    assert lenient.f1 == pytest.approx(0.6)
    # actors on the exact matches: Russia RUS right, Belarus None vs BLR wrong -> 1/2
    assert (mini.actors.correct, mini.actors.total) == (1, 2)


def test_relations_lenient(results):
    rel = results[0].relations
    # S1: gold (russia, sell, gas); P1 (russia, sell, gas) matches, (russia, sell, belarus)
    #     does not -> 1 TP, 1 FP
    # S2: gold (troops, gather, minsk); P2A (troops, gather, None) -> 1 FP, 1 FN
    # S3 missed: its gold relation is a FN; P4 is a false claim, its relation is not counted
    assert (rel.gold, rel.pred, rel.found, rel.correct) == (3, 3, 1, 1)
    assert rel.precision == pytest.approx(1 / 3)
    assert rel.f1 == pytest.approx(1 / 3)


def test_modality(results):
    # S1 asserted vs P1 predicted: wrong; S2 possible vs P2A (largest overlap) possible: right
    assert (results[0].modality.correct, results[0].modality.total) == (1, 2)


def test_rules_precision_and_fire_count(results):
    stats = {rule: (s.fires, s.aligned, s.correct) for (rule, _), s in results[0].rules.items()}
    # econ.energy fires on P1 (S1 has economic) and P4 (unmatched); hist.since_date on P2B
    # (S2 is not historical); econ.money only on unmatched P4
    assert stats == {"econ.energy": (2, 1, 1), "mil.forces": (1, 1, 1),
                     "hist.since_date": (1, 1, 0), "econ.money": (1, 0, 0)}
    rows = {row["rule"]: row["precision"] for row in report(results, by_rule=True)["rules"]}
    assert rows == {"econ.energy": 1.0, "mil.forces": 1.0, "hist.since_date": 0.0,
                    "econ.money": None}


def test_errors_list_every_claim_and_category_error(results):
    errors = [(e["error"], e["category"], e["text"], e["rules"]) for e in results[0].errors]
    assert errors == [
        ("category FN", "historical", S1, None),
        ("category FP", "historical", S2, "hist.since_date"),
        ("category FN", "economic", S3, None),
        ("category FN", "military", S3, None),
        ("claim FN", None, S3, None),
        ("category FP", "economic", S4, "econ.energy, econ.money"),
        ("claim FP", None, S4, None),
    ]


def test_overall_sums_the_documents(results):
    overall = total(results)
    # "other" is one claim found exactly with modality right and nothing else to score
    # claims: gold 4, found 3, pred 5, correct 4 -> P 0.8, R 0.75, F1 1.2/1.55 = 0.774
    assert (overall.claims.gold, overall.claims.found) == (4, 3)
    assert overall.claims.f1 == pytest.approx(1.2 / 1.55)
    assert (overall.modality.correct, overall.modality.total) == (2, 3)
    assert overall.entities_exact.gold == 6
    rows = {row["doc_id"]: row for row in report(results)["documents"]}
    assert rows["other"]["claims_f1"] == 1.0
    assert rows["other"]["categories_micro_f1"] is None  # no category in gold or predicted
    assert rows["other"]["actor_accuracy"] is None
    assert rows["mini"]["claims_f1"] == 0.706
    assert rows["overall"]["claims_f1"] == 0.774


def test_unannotated_layers_are_skipped(nlp):
    bare = {key: value for key, value in GOLD.sentences[1].items()
            if key not in ("categories", "entities", "relations", "modality")}
    document = GoldDocument("bare", TEXT, None, None, False, "b.jsonl", [bare])
    [result] = evaluate([document], {"bare": [P1, P4]}, nlp)
    assert result.claims.correct == 1
    assert result.categories == {}
    assert result.entities_exact.pred == 0
    assert result.relations.pred == 0
    assert result.relations.f1 is None  # nothing in the gold, nothing counted: no score
    assert result.modality.total == 0
    assert [e["error"] for e in result.errors] == ["claim FP"]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def cli_files(tmp_path, nlp, monkeypatch):
    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)
    head = {"type": "document", "doc_id": "mini", "title": TITLE, "held_out": False,
            "text": TEXT}
    gold = write_jsonl(tmp_path / "mini.jsonl", [head, *GOLD.sentences])
    pred = write_jsonl(tmp_path / "claims.jsonl", PREDICTED)
    return gold, pred


def test_cli_json_prints_the_numbers_of_the_table(cli_files):
    gold, pred = cli_files
    runner = CliRunner()
    args = ["evaluate", "--gold", str(gold), "--pred", str(pred), "--errors", "--by-rule"]
    table = runner.invoke(app, args)
    data = runner.invoke(app, [*args, "--format", "json"])
    assert table.exit_code == 0, table.output
    assert data.exit_code == 0, data.output
    parsed = json.loads(data.output)
    assert parsed["gold_documents"] == ["mini"]
    lines = [re.split(r"\s{2,}", line.strip()) for line in table.output.splitlines()]
    for name in ("scores", "accuracy", "documents", "errors", "rules"):
        for row in parsed[name]:
            cells = ["-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
                     for v in row.values()]
            assert cells in lines, (name, cells)
    rows = {row["metric"]: row for row in parsed["scores"]}
    assert rows["claims"]["f1"] == 0.706
    markdown = runner.invoke(app, [*args, "--format", "markdown"])
    assert "| claims | 3 | 4 | 2 | 3 | 0.750 | 0.667 | 0.706 |" in markdown.output


def test_cli_refuses_predictions_from_another_text(cli_files, tmp_path):
    gold, _ = cli_files
    moved = {**P1, "start": P1["start"] + 1, "end": P1["end"] + 1}
    pred = write_jsonl(tmp_path / "moved.jsonl", [moved])
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred)])
    assert result.exit_code == 1
    assert f"{pred}:1: the claim's text is not the gold text of 'mini'" in result.output
    other = write_jsonl(tmp_path / "other.jsonl", [{**P1, "doc_id": "doc-123"}])
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(other)])
    assert result.exit_code == 1
    assert "no claim has the doc_id of a selected gold document" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--split", "both"], "--split must be one of all, held-out, tuned, not 'both'"),
    (["--format", "csv"], "--format must be one of table, json, markdown, not 'csv'"),
    (["--split", "held-out"], "no gold documents in split 'held-out'"),
])
def test_cli_option_errors_are_one_line(cli_files, args, message):
    gold, pred = cli_files
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred),
                                      *args])
    assert result.exit_code == 1
    assert result.output.strip() == f"belnlp: error: {message}"


def test_render_rejects_an_unknown_format(results):
    with pytest.raises(ValueError, match="unknown format"):
        render(report(results), "csv", {})
