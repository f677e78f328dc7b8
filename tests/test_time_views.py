"""inspect --before/--after/--frame and the report panel's time lines, on extracted claims."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from belnlp import extract_claims
from belnlp.cli import app
from belnlp.views.inspect import Filters, anchor_years, load, select
from belnlp.views.report import category_colours, claim_html

TEXT = ("Minsk and Moscow signed the treaty in 1999. Trade doubled between 2010 and 2014. "
        "Belarus exports potash to China. Minsk will host the summit in 2031.")


@pytest.fixture(scope="module")
def records(nlp):
    return [claim.to_record() for claim in extract_claims(TEXT, nlp=nlp, date="2024-03-15")]


def texts(tables) -> list[str]:
    return [record["text"] for record in tables.records]


@pytest.mark.parametrize(("value", "years"), [
    ("1999", (1999, 1999)), ("1999-12-08", (1999, 1999)), ("199X", (1990, 1999)),
    ("18XX", (1800, 1899)), ("2012/2015", (2012, 2015)), ("2020-Q3", (2020, 2020)),
    (None, None),
])
def test_anchor_years(value, years):
    assert anchor_years(value) == years


def test_before_after_and_frame_filters(records):
    tables = load(records)
    assert texts(select(tables, Filters(before=2000))) == [
        "Minsk and Moscow signed the treaty in 1999."]
    assert texts(select(tables, Filters(before=2012, after=2011))) == [
        "Trade doubled between 2010 and 2014."]
    assert texts(select(tables, Filters(before=2000, after=2000))) == []
    assert texts(select(tables, Filters(after=2013))) == [
        "Trade doubled between 2010 and 2014.", "Minsk will host the summit in 2031."]
    assert texts(select(tables, Filters(frame="present"))) == [
        "Belarus exports potash to China."]
    assert texts(select(tables, Filters(frame="future"))) == [
        "Minsk will host the summit in 2031."]


def test_inspect_command_filters_by_time(records, tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    result = CliRunner().invoke(app, ["inspect", str(path), "--frame", "past", "--before",
                                      "2005", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.output.splitlines()] == [
        "Minsk and Moscow signed the treaty in 1999."]
    bad = CliRunner().invoke(app, ["inspect", str(path), "--frame", "someday"])
    assert bad.exit_code != 0 and "--frame" in bad.output


def test_report_panel_shows_frame_and_anchors(records):
    html = claim_html(records[0], category_colours(["historical"]))
    assert "time frame: past" in html
    assert "anchor: “1999” → 1999 (before)" in html
