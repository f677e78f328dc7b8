"""Attribution gold: validation, merging attribution files by offsets, and the scores,
counted by hand on a miniature document."""

import json

import pytest
from typer.testing import CliRunner

import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.gold.attribution import attribution_scores, merge_attribution
from belnlp.gold.evaluate import align
from belnlp.gold.goldset import GoldError, parse_gold

S1 = "Polish officials warned that the drills could spill over."
S2 = "Belarus hosts Russian troops."
S3 = "According to Lukashenko, the troops will leave."
S4 = "Experts believe the union will deepen."
S5 = "The Kremlin said the plan is final."
TEXT = " ".join((S1, S2, S3, S4, S5))


def span(piece):
    start = TEXT.index(piece)
    return {"start": start, "end": start + len(piece)}


def gold_line(piece, attribution=None, annotated=True):
    line = {"type": "sentence", **span(piece), "text": piece, "claim": True}
    if annotated:
        line["attribution"] = attribution
    return line


def gold_attr(speaker, actor, cue, kind="indirect"):
    return {"speaker": speaker, "actor": actor, "cue": cue, "type": kind}


def pred(piece, speaker=None, actor=None, cue=None, kind="indirect"):
    attribution = None
    if speaker is not None:
        attribution = {"speaker": {"text": speaker, "start": 0, "end": 0, "actor": actor},
                       "cue": {"text": cue, "start": 0, "end": 0, "rule": "r"},
                       "type": kind, "content": {"start": 0, "end": 0}}
    return {"doc_id": "mini", **span(piece), "text": piece, "attribution": attribution}


HEAD = {"type": "document", "doc_id": "mini", "text": TEXT}
GOLD_LINES = [
    gold_line(S1, gold_attr("Polish officials", "POL", "warned")),
    gold_line(S2),
    gold_line(S3, gold_attr("Lukashenko", "BLR", "According to")),
    gold_line(S4, gold_attr("Experts", None, "believe")),
    gold_line(S5, annotated=False),
]
PREDICTED = [
    pred(S1, "Polish officials", "POL", "warned"),  # all parts right
    pred(S2, "Belarus", "BLR", "hosts"),  # a false positive
    pred(S3, "Lukashenko", None, "according to", "direct"),  # actor and type wrong
    pred(S4),  # a false negative
    pred(S5, "Kremlin", "RUS", "said"),  # not annotated: not scored
]


def document(lines=GOLD_LINES):
    return parse_gold([json.dumps(line) for line in (HEAD, *lines)], "mini.jsonl")[0]


def test_scores_counted_by_hand():
    gold = document()
    scores = attribution_scores(align(gold.claims, PREDICTED))
    detection = scores.detection
    assert (detection.gold, detection.pred, detection.found) == (3, 3, 2)
    assert detection.precision == pytest.approx(2 / 3)
    assert detection.recall == pytest.approx(2 / 3)
    assert (scores.speaker.correct, scores.speaker.total) == (2, 2)
    assert (scores.actor.correct, scores.actor.total) == (1, 2)
    assert (scores.cue.correct, scores.cue.total) == (2, 2)  # case-insensitive
    assert (scores.type.correct, scores.type.total) == (1, 2)
    assert [error["error"] for error in scores.errors] == [
        "attribution FP", "attribution parts", "attribution FN"]


def test_nothing_annotated_scores_nothing():
    lines = [gold_line(piece, annotated=False) for piece in (S1, S2, S3, S4, S5)]
    scores = attribution_scores(align(document(lines).claims, PREDICTED))
    assert scores.detection.empty and scores.speaker.total == 0


@pytest.mark.parametrize(("attribution", "problem"), [
    (gold_attr("Kremlin", "RUS", "warned"), "attribution speaker 'Kremlin' is not in the sentence"),
    (gold_attr("Polish officials", "POL", "said"), "attribution cue 'said' is not in"),
    (gold_attr("Polish officials", "POL", "warned", "quoted"), "attribution"),
    ({"speaker": "Polish officials", "cue": "warned", "type": "direct"}, "attribution"),
])
def test_bad_gold_attribution_names_file_and_line(attribution, problem):
    with pytest.raises(GoldError, match=problem) as caught:
        document([gold_line(S1, attribution)])
    assert str(caught.value).startswith("mini.jsonl:2:")


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_attribution_files_merge_by_offsets(tmp_path):
    gold = document([gold_line(piece, annotated=False) for piece in (S1, S2, S3, S4, S5)])
    folder = tmp_path / "attribution"
    folder.mkdir()
    write_jsonl(folder / "mini.jsonl", [
        {**span(S1), "text": S1, "attribution": gold_attr("Polish officials", "POL", "warned")},
        {**span(S2), "text": S2, "attribution": None},
    ])
    write_jsonl(folder / "another-document.jsonl", [{"start": 0, "end": 1, "text": "x",
                                                      "attribution": None}])
    merge_attribution([gold], [folder])
    assert gold.sentences[0]["attribution"]["speaker"] == "Polish officials"
    assert gold.sentences[1]["attribution"] is None
    assert "attribution" not in gold.sentences[2]


@pytest.mark.parametrize(("line", "problem"), [
    ({"start": 0, "end": 5, "text": TEXT[:5], "attribution": None}, "no sentence of gold"),
    ({**span(S1), "text": S1}, "exactly the keys"),
    ({**span(S1), "text": S1, "attribution": gold_attr("Kremlin", None, "warned")},
     "speaker 'Kremlin' is not in"),
])
def test_bad_attribution_file_lines_name_file_and_line(tmp_path, line, problem):
    path = write_jsonl(tmp_path / "mini.jsonl", [line])
    with pytest.raises(GoldError, match=problem) as caught:
        merge_attribution([document()], [path])
    assert str(caught.value).startswith(f"{path}:1:")


@pytest.fixture()
def cli_files(tmp_path, nlp, monkeypatch):
    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)
    unannotated = [gold_line(piece, annotated=False) for piece in (S1, S2, S3, S4, S5)]
    gold = write_jsonl(tmp_path / "mini.jsonl", [HEAD, *unannotated])
    folder = tmp_path / "attribution"
    folder.mkdir()
    write_jsonl(folder / "mini.jsonl", [
        {**span(line["text"]), "text": line["text"], "attribution": line["attribution"]}
        for line in GOLD_LINES if "attribution" in line])
    return gold, write_jsonl(tmp_path / "claims.jsonl", PREDICTED), folder


def test_cli_evaluate_with_attribution_files(cli_files):
    gold, pred, folder = cli_files
    args = ["evaluate", "--gold", str(gold), "--pred", str(pred), "--format", "json"]
    without = json.loads(CliRunner().invoke(app, args).output)
    assert "attribution detection" not in {row["metric"] for row in without["scores"]}
    result = CliRunner().invoke(app, [*args, "--attribution", str(folder), "--errors"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    scores = {row["metric"]: row for row in parsed["scores"]}
    assert scores["attribution detection"]["f1"] == 0.667
    accuracy = {row["metric"]: row["accuracy"] for row in parsed["accuracy"]}
    assert accuracy["attribution speaker exact"] == 1.0
    assert accuracy["attribution speaker actor"] == 0.5
    assert accuracy["attribution cue"] == 1.0
    assert sum(error["error"].startswith("attribution") for error in parsed["errors"]) == 3


def test_cli_bad_attribution_path_is_one_line(cli_files, tmp_path):
    gold, pred, _ = cli_files
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred),
                                      "--attribution", str(tmp_path / "missing")])
    assert result.exit_code != 0
    assert "no attribution .jsonl files" in result.output
