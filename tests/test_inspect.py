"""inspect: summary counts and filters on the hand-made file, every format and every bad
input through the command on a real `belnlp extract` output."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.views.inspect import Filters, listing, load, markdown_table, select, summary
from belnlp.views.outputs import read_claims
from tests.fixtures.claim_files import HAND_CLAIMS, pipeline_claims

runner = CliRunner()


@pytest.fixture(scope="module")
def hand():
    return load(read_claims([HAND_CLAIMS]).records)


@pytest.fixture(scope="session")
def claims_file(tmp_path_factory) -> Path:
    return pipeline_claims(tmp_path_factory)


@pytest.fixture(scope="module")
def pipeline(claims_file):
    return load(read_claims([claims_file]).records)


def counts(view, section: str) -> dict[str, int]:
    part = view.frame[view.frame["section"] == section]
    return dict(zip(part["key"], part["count"], strict=True))


def ids(tables) -> list[str]:
    return tables.claims["claim_id"].tolist()


def invoke(*args: str):
    return runner.invoke(app, ["inspect", *args])


# --- summary and filters, counted by hand -------------------------------------------------

def test_summary_counts(hand):
    view = summary(hand)
    assert counts(view, "totals") == {"documents": 2, "claims": 9, "entities": 26,
                                      "relations": 10, "negated claims": 1}
    assert counts(view, "categories") == {"economic": 4, "(none)": 3, "historical": 2,
                                          "military": 2}
    assert counts(view, "category sets") == {
        "(none)": 3, "economic": 2, "economic+historical": 1, "economic+military": 1,
        "historical": 1, "military": 1}
    assert list(counts(view, "actors").items())[:2] == [("BLR", 9), ("RUS", 5)]
    assert list(counts(view, "entities").items())[0] == ("Belarus (GPE)", 6)
    assert list(counts(view, "predicates").items())[0] == ("sign", 2)
    assert counts(view, "modality") == {"asserted": 5, "possible": 1, "necessary": 1,
                                        "predicted": 2}


def test_summary_top_limits_the_ranked_sections(hand):
    view = summary(hand, top=3)
    assert len(counts(view, "entities")) == 3
    assert len(counts(view, "actors")) == 3
    assert len(counts(view, "categories")) == 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(categories=["economic"]), ["belarus-russia:20-64", "belarus-russia:132-178",
                                            "belarus-russia:180-280", "poland-border:116-171"]),
        (Filters(categories=["economic", "military"]), ["belarus-russia:180-280"]),
        (Filters(actor="ukr"), ["belarus-russia:281-330", "poland-border:173-250"]),
        (Filters(entity="zapad"), ["belarus-russia:180-280"]),
        (Filters(entity="Belarus"), ["belarus-russia:20-64", "belarus-russia:65-131",
                                     "belarus-russia:132-178", "belarus-russia:180-280",
                                     "poland-border:23-72", "poland-border:116-171",
                                     "poland-border:173-250"]),
        (Filters(doc="poland-border", modality="predicted"), ["poland-border:173-250"]),
        (Filters(doc="belarus-russia.txt", contains="MINSK"), ["belarus-russia:180-280",
                                                               "belarus-russia:281-330"]),
        (Filters(negated=True), ["belarus-russia:281-330"]),
        (Filters(modality="necessary"), ["poland-border:73-115"]),
        (Filters(actor="NATO", categories=["economic"]), []),
    ],
)
def test_filters(hand, filters, expected):
    chosen = select(hand, filters)
    assert ids(chosen) == expected
    assert [record["claim_id"] for record in chosen.records] == expected
    assert set(chosen.entities["row"]) <= set(chosen.claims.index)


def test_listing_is_one_flat_row_per_claim(hand):
    frame = listing(select(hand, Filters(categories=["economic", "military"]))).frame
    row = frame.iloc[0].to_dict()
    assert row["categories"] == "economic, military"
    assert row["actors"] == "BLR, RUS"
    assert row["modality"] == "predicted"
    assert not row["negated"]
    assert row["text"].startswith("Russian troops will stay")


def test_markdown_table_escapes_pipes_and_newlines():
    frame = pd.DataFrame({"key": ["a|b", "c\nd"], "count": [1, 22]})
    assert markdown_table(frame) == ("| key | count |\n|---|---:|\n"
                                     "| a\\|b | 1 |\n| c d | 22 |\n")


def test_empty_selection_still_summarises(hand):
    view = summary(select(hand, Filters(contains="no such words")))
    assert counts(view, "totals")["claims"] == 0
    assert counts(view, "modality") == {"asserted": 0, "possible": 0, "necessary": 0,
                                        "predicted": 0}


# --- the command on a real extract output -------------------------------------------------

def test_no_filter_prints_the_summary_table(claims_file, pipeline):
    result = invoke(str(claims_file))
    assert result.exit_code == 0, result.output
    for section in ("totals", "categories", "category sets", "actors", "predicates",
                    "modality"):
        assert section in result.stdout
    assert str(len(pipeline.claims)) in result.stdout


def test_summary_json_matches_the_library(claims_file, pipeline):
    result = invoke(str(claims_file), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["claims"] == len(pipeline.claims) > 20
    assert data["totals"]["documents"] == 1
    assert data["categories"] == counts(summary(pipeline), "categories")
    assert sum(data["modality"].values()) == len(pipeline.claims)


def test_summary_csv_jsonl_markdown(claims_file):
    csv = invoke(str(claims_file), "--format", "csv")
    frame = pd.read_csv(io.StringIO(csv.stdout))
    assert list(frame.columns) == ["section", "key", "count"]
    jsonl = invoke(str(claims_file), "--format", "jsonl")
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert rows == frame.to_dict("records")
    markdown = invoke(str(claims_file), "--format", "markdown")
    assert "## totals\n\n| key | count |\n|---|---:|\n| documents | 1 |" in markdown.stdout


def test_summary_flag_summarises_the_filtered_claims(claims_file, pipeline):
    result = invoke(str(claims_file), "--category", "military", "--summary", "--format", "json")
    military = select(pipeline, Filters(categories=["military"]))
    assert json.loads(result.stdout)["totals"]["claims"] == len(military.claims) > 0


def test_listing_table_shows_the_matching_claims(claims_file, pipeline):
    result = invoke(str(claims_file), "--actor", "RUS", "--category", "economic")
    assert result.exit_code == 0, result.output
    chosen = select(pipeline, Filters(actor="RUS", categories=["economic"]))
    assert len(chosen.claims) > 0
    assert "claim_id" in result.stdout
    assert result.stdout.count("economic") >= len(chosen.claims)


def test_listing_csv_and_markdown(claims_file, pipeline):
    chosen = listing(select(pipeline, Filters(categories=["historical"]))).frame
    csv = invoke(str(claims_file), "--category", "historical", "--format", "csv")
    frame = pd.read_csv(io.StringIO(csv.stdout), keep_default_na=False)
    assert frame["claim_id"].tolist() == chosen["claim_id"].tolist()
    assert frame["text"].tolist() == chosen["text"].tolist()
    markdown = invoke(str(claims_file), "--category", "historical", "--format", "markdown")
    assert markdown.stdout.startswith("| claim_id | doc_id |")
    assert len(markdown.stdout.splitlines()) == len(chosen) + 2


def test_listing_json_and_jsonl_give_the_full_records(claims_file, tmp_path):
    as_json = invoke(str(claims_file), "--contains", "Russia", "--format", "json")
    records = json.loads(as_json.stdout)
    assert records and all("Russia" in record["text"] for record in records)
    out = tmp_path / "russia.jsonl"
    as_jsonl = invoke(str(claims_file), "--contains", "Russia", "--format", "jsonl",
                      "-o", str(out))
    assert as_jsonl.exit_code == 0, as_jsonl.output
    assert read_claims([out]).records == records


def test_parquet_round_trips_through_pandas(claims_file, pipeline, tmp_path):
    out = tmp_path / "claims.parquet"
    result = invoke(str(claims_file), "--modality", "asserted", "--format", "parquet",
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    expected = listing(select(pipeline, Filters(modality="asserted"))).frame
    pd.testing.assert_frame_equal(pd.read_parquet(out), expected, check_dtype=False)
    summary_out = tmp_path / "summary.parquet"
    assert invoke(str(claims_file), "--format", "parquet", "-o", str(summary_out)
                  ).exit_code == 0
    assert list(pd.read_parquet(summary_out).columns) == ["section", "key", "count"]


def test_table_written_to_a_file(claims_file, tmp_path):
    out = tmp_path / "summary.txt"
    result = invoke(str(claims_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "totals" in text and "\x1b[" not in text


def test_reads_stdin(claims_file, pipeline):
    result = runner.invoke(app, ["inspect", "-", "--format", "json"],
                           input=claims_file.read_text(encoding="utf-8"))
    assert json.loads(result.stdout)["totals"]["claims"] == len(pipeline.claims)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format must be one of table, csv"),
        (["--format", "parquet"], "--format parquet needs -o FILE"),
        (["--modality", "likely"], "--modality must be one of asserted"),
    ],
)
def test_bad_options(claims_file, args, message):
    result = invoke(str(claims_file), *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_missing_file(tmp_path):
    result = invoke(str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 1
    assert "nope.jsonl" in result.stderr


# --- bad input through the command --------------------------------------------------------

def broken_copy(claims_file: Path, tmp_path: Path, line: int, replacement: str) -> Path:
    rows = claims_file.read_text(encoding="utf-8").splitlines()
    rows[line - 1] = replacement
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_non_json_line_fails_naming_file_and_line(claims_file, tmp_path):
    path = broken_copy(claims_file, tmp_path, 3, "{not json")
    result = invoke(str(path))
    assert result.exit_code == 1
    assert f"belnlp: error: {path}:3: not JSON" in result.stderr


def test_missing_field_fails_naming_file_line_and_field(claims_file, tmp_path):
    record = json.loads(claims_file.read_text(encoding="utf-8").splitlines()[4])
    del record["claim_id"]
    path = broken_copy(claims_file, tmp_path, 5, json.dumps(record))
    result = invoke(str(path), "--format", "json")
    assert result.exit_code == 1
    assert f"{path}:5: missing required field(s): claim_id" in result.stderr


def test_wrong_schema_version_fails_naming_file_and_line(claims_file, tmp_path):
    record = json.loads(claims_file.read_text(encoding="utf-8").splitlines()[0])
    record["schema"] = "belnlp.claim/2"
    path = broken_copy(claims_file, tmp_path, 1, json.dumps(record))
    result = invoke(str(path))
    assert result.exit_code == 1
    assert f"{path}:1: schema is 'belnlp.claim/2', expected 'belnlp.claim/1'" in result.stderr


def test_skip_invalid_reports_the_skipped_count(claims_file, pipeline, tmp_path):
    path = broken_copy(claims_file, tmp_path, 2, "garbage")
    rows = path.read_text(encoding="utf-8").splitlines()
    rows[5] = '{"schema": "belnlp.claim/0"}'
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = invoke(str(path), "--skip-invalid", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "skipped 2 invalid line(s)" in result.stderr
    assert f"{path}:2: not JSON" in result.stderr
    assert json.loads(result.stdout)["totals"]["claims"] == len(pipeline.claims) - 2
