"""`belnlp diff` (what changed between two runs) and `belnlp evaluate --compare` (two runs'
scores side by side)."""

import copy
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.views.diff import diff_claims

FIXTURES = Path(__file__).parent / "fixtures" / "tasks"
CORPUS = Path(__file__).parents[1] / "corpus"
OLD = [json.loads(line) for line in (FIXTURES / "claims.jsonl").read_text(
    encoding="utf-8").splitlines()]
DOCUMENTS = {json.loads(line)["doc_id"]: json.loads(line) for line in (
    FIXTURES / "documents.jsonl").read_text(encoding="utf-8").splitlines()}


def by_text(claims, start_of_text):
    return next(claim for claim in claims if claim["text"].startswith(start_of_text))


def edited():
    """The fixture claims with one change of every aspect, one claim removed, one added."""
    new = copy.deepcopy(OLD)
    minsk = by_text(new, "Minsk buys")
    minsk["categories"] = ["economic", "military"]
    minsk["evidence"].append({"category": "military", "rule": "mil.test", "match": "Minsk",
                              "start": minsk["start"], "end": minsk["start"] + 5})
    minsk["entities"][1]["actor"] = "GAZPROM"
    pact = by_text(new, "In 1996")
    pact["entities"][0]["label"] = "CARDINAL"
    pact["modality"] = "predicted"
    minister = by_text(new, "The Polish minister")
    minister["attribution"]["type"] = "direct"
    minister["relations"][0]["negated"] = True
    new.remove(by_text(new, "Lithuania"))
    trade = by_text(new, "Trade across")
    # the segmenter now cuts the last sentence in two: one claim removed, one added
    added = dict(trade, claim_id=f"quiet-border:{trade['start']}-{trade['start'] + 26}",
                 end=trade["start"] + 26, text=trade["text"][:26], categories=[],
                 evidence=[], entities=[], relations=[])
    new[new.index(trade)] = added
    return new


def write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def test_every_aspect_of_a_changed_claim_is_listed():
    result = diff_claims(OLD, edited())
    gas, quiet = result.documents["gas-and-grain"], result.documents["quiet-border"]
    changes = {entry["text"][:10]: entry["changes"] for entry in gas}
    assert changes == {
        "Minsk buys": {
            "categories": {"removed": [], "added": ["military"]},
            "rules": {"removed": [], "added": ["mil.test (military)"]},
            "actors": [{"entity": "Gazprom ORG [47:54]", "old": None, "new": "GAZPROM"}]},
        "In 1996, t": {
            "entities": {"removed": ["1996 DATE [59:63]"], "added": ["1996 CARDINAL [59:63]"]},
            "modality": {"old": "asserted", "new": "predicted"}},
        "The Polish": {
            "attribution": {
                "old": "indirect: The Polish minister [103:122] via 'said'",
                "new": "direct: The Polish minister [103:122] via 'said'"},
            "relations": {"removed": ["(Warsaw; would send; more troops) asserted"],
                          "added": ["(Warsaw; not would send; more troops) asserted"]}},
    }
    assert [(entry["status"], entry["text"]) for entry in quiet] == [
        ("removed", "Lithuania may reopen two crossings next year."),
        ("added", "Trade across the Neman has"),  # in text order: the shorter span first
        ("removed", "Trade across the Neman has grown since the bridge opened."),
    ]
    assert result.totals == {"documents_changed": 2, "claims_old": 5, "claims_new": 4,
                             "changed": 3, "added": 1, "removed": 2, "unchanged": 0}


def test_counts_per_category_and_rule():
    result = diff_claims(OLD, edited())
    assert result.categories["economic"] == {"old": 3, "new": 2, "delta": -1, "gained": 0,
                                             "lost": 1}
    assert result.categories["military"] == {"old": 1, "new": 2, "delta": 1, "gained": 1,
                                             "lost": 0}
    assert result.rules["econ.trade (economic)"] == {"old": 2, "new": 1, "delta": -1,
                                                     "gained": 0, "lost": 1}
    assert result.rules["mil.test (military)"]["gained"] == 1
    assert diff_claims(OLD, OLD).documents == {}


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_diff_command_formats(tmp_path, fmt):
    old, new = FIXTURES / "claims.jsonl", write(tmp_path / "new.jsonl", edited())
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert [d["doc_id"] for d in data["documents"]] == ["gas-and-grain", "quiet-border"]
        assert data["totals"]["changed"] == 3
        assert data["categories"]["military"]["gained"] == 1
        return
    lines = result.output.splitlines()
    assert lines[0].startswith(f"belnlp diff: {old} -> {new}: documents changed 2")
    if fmt == "table":
        [change, tally] = [line.split() for line in lines if "mil.test" in line]
        assert change[:6] == ["gas-and-grain", "gas-and-grain:15-55", "changed", "rules",
                              "+mil.test", "(military)"]
        assert tally == ["mil.test", "(military)", "0", "1", "1", "1", "0"]
    else:
        assert "## changes" in lines
        assert "| gas-and-grain | gas-and-grain:15-55 | changed | categories | +military |" \
            in result.output


def test_diff_command_writes_a_file_and_reads_stdin(tmp_path):
    new = write(tmp_path / "new.jsonl", edited())
    out = tmp_path / "diff.json"
    runner = CliRunner()
    result = runner.invoke(app, ["diff", "-", str(new), "--format", "json", "-o", str(out)],
                           input=(FIXTURES / "claims.jsonl").read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["old"] == "-"
    result = runner.invoke(app, ["diff", str(new), str(new), "--format", "yaml"])
    assert (result.exit_code, result.output.strip()) == (
        1, "belnlp: error: --format must be one of table, markdown, json, not 'yaml'")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schema": "belnlp.claim/1"}\n', encoding="utf-8")
    result = runner.invoke(app, ["diff", str(bad), str(new)])
    assert result.exit_code == 1
    assert result.output.startswith(f"belnlp: error: {bad}:1:")


def test_diff_of_two_runs_of_the_sample_article_with_one_rule_file_edited(tmp_path):
    """The military rules without mil.forces (armed forces and troops): the claims it fired on
    change, no other."""
    rules = resources.files("belnlp") / "data" / "rules"
    folder = tmp_path / "rules"
    folder.mkdir()
    names = ["economic.jsonl", "historical.jsonl", "military.jsonl"]
    for name in names:
        shutil.copyfile(rules / name, folder / name)
    military = (folder / "military.jsonl").read_text(encoding="utf-8").splitlines()
    weights = {json.loads(line)["id"]: json.loads(line).get("weight", 1.0) for line in military}
    edited_file = tmp_path / "military-edited.jsonl"
    edited_file.write_text("\n".join(line for line in military
                                     if json.loads(line)["id"] != "mil.forces") + "\n",
                           encoding="utf-8")
    runner = CliRunner()
    runs = {}
    for run, files in (("old", [folder / n for n in names]),
                       ("new", [folder / names[0], folder / names[1], edited_file])):
        runs[run] = tmp_path / f"{run}.jsonl"
        args = ["extract", str(CORPUS), "-o", str(runs[run]), "-q", "--no-default-rules"]
        result = runner.invoke(app, args + [f"--rules={path}" for path in files])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["diff", str(runs["old"]), str(runs["new"]), "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    [document] = report["documents"]
    changed = {claim["claim_id"]: claim for claim in document["claims"]}
    assert {claim["status"] for claim in changed.values()} == {"changed"}

    old_claims = [json.loads(line) for line in runs["old"].read_text(
        encoding="utf-8").splitlines()]
    fired = [claim for claim in old_claims
             if any(item["rule"] == "mil.forces" for item in claim["evidence"])]
    assert fired, "the sample article has claims the forces rule fired on"
    # A claim whose anaphor points back at a match of the rule had military through context.
    matches = [(item["start"], item["end"]) for claim in fired for item in claim["evidence"]
               if item["rule"] == "mil.forces"]
    through_context = {
        claim["claim_id"] for claim in old_claims for item in claim["evidence"]
        if item["rule"].startswith("context.") and item["category"] == "military"
        and any(start < item["antecedent"]["end"] and item["antecedent"]["start"] < end
                for start, end in matches)}
    assert set(changed) == {claim["claim_id"] for claim in fired} | through_context
    for claim_id in through_context - {claim["claim_id"] for claim in fired}:
        removed = changed[claim_id]["changes"]["rules"]["removed"]
        assert removed and all(rule.startswith("context.") for rule in removed)
    outcomes = set()
    for claim in (claim for claim in fired if claim["claim_id"] not in through_context):
        military = [item for item in claim["evidence"] if item["category"] == "military"]
        left = [item for item in military if item["rule"] != "mil.forces"]
        keeps = sum(weights[item["rule"]] for item in left) >= 1.0
        outcomes.add(keeps)
        expected = {"rules": {"removed": sorted({f"{item['rule']} (military)" for item in
                                                 (military if not keeps else [])}
                                                | {"mil.forces (military)"}),
                              "added": []}}
        if not keeps:
            expected = {"categories": {"removed": ["military"], "added": []}, **expected}
        assert changed[claim["claim_id"]]["changes"] == expected
    assert outcomes == {True, False}  # some claims stay military on other evidence, some not
    assert report["totals"]["unchanged"] == len(old_claims) - len(changed)
    assert report["rules"]["mil.forces (military)"]["new"] == 0


# --- evaluate --compare -----------------------------------------------------------------------


@pytest.fixture()
def use_nlp(nlp, monkeypatch):
    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)


def gold_of(claims, documents):
    """Gold lines that say exactly what the claims say."""
    lines = []
    for doc_id, document in documents.items():
        lines.append({"type": "document", "doc_id": doc_id, "title": document["title"],
                      "date": document["date"], "held_out": False, "text": document["text"]})
        lines += [{"type": "sentence", "start": c["start"], "end": c["end"], "text": c["text"],
                   "claim": True, "kind": "body", "categories": c["categories"],
                   "modality": c["modality"], "entities": c["entities"]}
                  for c in claims if c["doc_id"] == doc_id]
    return lines


def test_evaluate_compare_shows_both_runs_and_their_deltas(tmp_path, use_nlp):
    gold = write(tmp_path / "gold.jsonl", gold_of(OLD, DOCUMENTS))
    new = copy.deepcopy(OLD)
    by_text(new, "In 1996")["categories"] = ["historical"]
    new.remove(by_text(new, "Lithuania"))
    new_path = write(tmp_path / "new.jsonl", new)
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--pred",
                                      str(FIXTURES / "claims.jsonl"), "--compare",
                                      str(new_path), "--errors", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["new"] == str(new_path)
    scores = {row["metric"]: row for row in report["scores"]}
    # claims: 4 of 5 found, none wrong; economic: 2 of 3
    assert scores["claims"] == {"metric": "claims", "old precision": 1.0,
                                "new precision": 1.0, "old recall": 1.0, "new recall": 0.8,
                                "old f1": 1.0, "new f1": 0.889, "delta f1": -0.111}
    assert (scores["category economic"]["new f1"], scores["category economic"]["delta f1"]
            ) == (0.8, -0.2)
    assert scores["category historical"]["delta f1"] == 0.0
    modality = {row["metric"]: row for row in report["accuracy"]}["modality (aligned claims)"]
    assert (modality["old"], modality["new"], modality["delta"]) == (1.0, 1.0, 0.0)
    changed = {(row["doc_id"], row["metric"]) for row in report["documents changed"]}
    assert ("quiet-border", "claims_f1") in changed
    assert ("gas-and-grain", "claims_f1") not in changed
    assert report["errors fixed"] == []
    assert [(e["error"], e["category"], e["text"][:12]) for e in report["errors introduced"]
            ] == [("category FN", "economic", "In 1996, the"), ("claim FN", None, "Lithuania ma")]


def test_evaluate_compare_table_lists_old_and_new_columns(tmp_path, use_nlp):
    gold = write(tmp_path / "gold.jsonl", gold_of(OLD, DOCUMENTS))
    claims = str(FIXTURES / "claims.jsonl")
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--pred", claims,
                                      "--compare", claims])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("metric "))
    assert header.split()[:4] == ["metric", "old", "precision", "new"]
    assert "delta f1" in header
    assert "documents changed:\n\n(none)" in result.output
