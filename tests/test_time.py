"""The time layer: date expressions normalised against an article date, cues, anchors, frames."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from belnlp import extract_claims
from belnlp.cli import app
from belnlp.nlp.extract.time import CueError, load_cues, normalise_date

D1 = "2024-03-15"  # a mid-month, mid-year article date
D2 = "2019-11-02"
D3 = "2022-01-10"

#: (expression, article date or None, value, granularity, relation), written for this table.
CASES = [
    # bare years, and years with prepositions or edge words
    ("1999", D1, "1999", "year", "before"),
    ("in 1994", D1, "1994", "year", "before"),
    ("In 1994", D1, "1994", "year", "before"),
    ("2024", D1, "2024", "year", "same"),
    ("2027", D1, "2027", "year", "after"),
    ("by 2030", D1, "2030", "year", "after"),
    ("early 2019", D1, "2019", "year", "before"),
    ("late 2019", D1, "2019", "year", "before"),
    ("mid-2021", D1, "2021", "year", "before"),
    ("the end of 2023", D1, "2023", "year", "before"),
    ("the beginning of 2025", D1, "2025", "year", "after"),
    ("the year 2000", D1, "2000", "year", "before"),
    ("since 1994", D1, "1994", "year", "before"),
    ("until 2028", D1, "2028", "year", "after"),
    ("2013's", D1, "2013", "year", "before"),
    ("1999", None, "1999", "year", "before"),
    # decades and centuries
    ("the 1990s", D1, "199X", "decade", "before"),
    ("1990s", D1, "199X", "decade", "before"),
    ("the early 1990s", D1, "199X", "decade", "before"),
    ("the late 1980s", D1, "198X", "decade", "before"),
    ("the mid-2000s", D1, "200X", "decade", "before"),
    ("the 2020s", D1, "202X", "decade", "same"),
    ("the 2030s", D1, "203X", "decade", "after"),
    ("the 1800s", D1, "18XX", "century", "before"),
    ("the 19th century", D1, "18XX", "century", "before"),
    ("the twentieth century", D1, "19XX", "century", "before"),
    ("the 21st century", D1, "20XX", "century", "same"),
    ("twentieth-century", D1, "19XX", "century", "before"),
    ("the '90s", D1, None, "decade", "unknown"),
    # intervals
    ("2012-2015", D1, "2012/2015", "year", "before"),
    ("2012–15", D1, "2012/2015", "year", "before"),
    ("from 2012 to 2015", D1, "2012/2015", "year", "before"),
    ("between 2010 and 2014", D1, "2010/2014", "year", "before"),
    ("2020-2030", D1, "2020/2030", "year", "same"),
    ("2025–2027", D1, "2025/2027", "year", "after"),
    ("2015-2012", D1, None, "year", "unknown"),
    # months
    ("March 2008", D1, "2008-03", "month", "before"),
    ("in March 2008", D1, "2008-03", "month", "before"),
    ("September 2024", D1, "2024-09", "month", "after"),
    ("March 2024", D1, "2024-03", "month", "same"),
    ("Sept. 2020", D1, "2020-09", "month", "before"),
    ("early September", D2, "2019-09", "month", "before"),
    ("the end of April", D2, "2019-04", "month", "before"),
    ("at the end of April", D2, "2019-04", "month", "before"),
    ("December", D2, "2019-12", "month", "after"),
    ("November", D2, "2019-11", "month", "same"),
    ("in early September", None, None, "month", "unknown"),
    ("last March", D1, "2023-03", "month", "before"),
    ("last May", D2, "2019-05", "month", "before"),
    ("next May", D1, "2024-05", "month", "after"),
    ("next January", D2, "2020-01", "month", "after"),
    # days
    ("8 December 1999", D1, "1999-12-08", "day", "before"),
    ("December 8, 1999", D1, "1999-12-08", "day", "before"),
    ("on 24 February 2022", D1, "2022-02-24", "day", "before"),
    ("February 19", D3, "2022-02-19", "day", "after"),
    ("January 10", D3, "2022-01-10", "day", "same"),
    ("January 3", D3, "2022-01-03", "day", "before"),
    ("yesterday", D3, "2022-01-09", "day", "before"),
    ("today", D3, "2022-01-10", "day", "same"),
    ("tomorrow", D3, None, "relative", "after"),
    ("the day", D3, "2022-01-10", "day", "same"),
    ("February 19", None, None, "day", "unknown"),
    ("February 18-19", D3, "2022-02-18/2022-02-19", "day", "after"),
    ("January 9-10", D3, "2022-01-09/2022-01-10", "day", "same"),
    ("18–19 February 2021", D3, "2021-02-18/2021-02-19", "day", "before"),
    ("since at least April 2023", D1, "2023-04", "month", "before"),
    # modal "may" and the month May
    ("may", D1, None, "relative", "unknown"),
    ("May 2023", D1, "2023-05", "month", "before"),
    ("May", D1, "2024-05", "month", "after"),
    # seasons, quarters, halves
    ("the summer of 2019", D1, "2019-22", "season", "before"),
    ("summer 2019", D1, "2019-22", "season", "before"),
    ("spring 2024", D1, "2024-21", "season", "same"),
    ("winter 2025", D1, "2025-24", "season", "after"),
    ("last summer", D1, "2023-22", "season", "before"),
    ("the third quarter of 2020", D1, "2020-Q3", "quarter", "before"),
    ("Q3 2020", D1, "2020-Q3", "quarter", "before"),
    ("the first quarter", D1, "2024-Q1", "quarter", "same"),
    ("the fourth quarter of 2024", D1, "2024-Q4", "quarter", "after"),
    ("the first half of 2023", D1, "2023-H1", "season", "before"),
    # relative to the article's date
    ("last year", D1, "2023", "year", "before"),
    ("this year", D1, "2024", "year", "same"),
    ("this year's", D1, "2024", "year", "same"),
    ("next year", D1, "2025", "year", "after"),
    ("the previous year", D1, "2023", "year", "before"),
    ("earlier this year", D1, "2024", "year", "before"),
    ("later this year", D1, "2024", "year", "after"),
    ("last month", D1, "2024-02", "month", "before"),
    ("next month", D1, "2024-04", "month", "after"),
    ("next month", D2, "2019-12", "month", "after"),
    ("last month", D3, "2021-12", "month", "before"),
    ("this month", D1, "2024-03", "month", "same"),
    ("last decade", D1, "201X", "decade", "before"),
    ("three decades ago", D1, "1994", "year", "before"),
    ("two years ago", D1, "2022", "year", "before"),
    ("over two decades ago", D1, "2004", "year", "before"),
    ("last year", None, None, "year", "unknown"),
    ("next month", None, None, "month", "unknown"),
    ("three decades ago", None, None, "decade", "unknown"),
    # stretches, durations and anaphora: no value, never a guess
    ("recent months", D1, None, "relative", "before"),
    ("the past several years", D1, None, "relative", "before"),
    ("the last couple of months", D1, None, "relative", "before"),
    ("the past quarter-century", D1, None, "relative", "before"),
    ("the past year", D1, None, "relative", "before"),
    ("the coming years", D1, None, "relative", "after"),
    ("the next decade", D1, "203X", "decade", "after"),
    ("the future", D1, None, "relative", "after"),
    ("three decades", D1, None, "relative", "unknown"),
    ("two years", D1, None, "relative", "unknown"),
    ("decades", D1, None, "relative", "unknown"),
    ("that year", D1, None, "relative", "unknown"),
    ("a day later", D1, None, "relative", "unknown"),
    ("some days later", D1, None, "relative", "unknown"),
    ("the time", D1, None, "relative", "unknown"),
]


@pytest.mark.parametrize(("text", "article", "value", "granularity", "relation"), CASES)
def test_date_expression(text, article, value, granularity, relation):
    reference = date.fromisoformat(article) if article else None
    found = normalise_date(text, reference)
    assert (found.value, found.granularity, found.relation) == (value, granularity, relation)
    assert (found.reason is None) == (value is not None), found


def test_the_table_is_large_enough_and_distinct():
    assert len(CASES) >= 80
    assert len({(text, article) for text, article, *_ in CASES}) == len(CASES)


def test_normalisation_is_memoised_per_text_and_article_date():
    from belnlp.nlp.extract.time import _normalise

    normalise_date("the summer of 2017", date(2024, 3, 15))
    hits = _normalise.cache_info().hits
    normalise_date("the  summer of 2017", date(2024, 3, 15))  # same text once spaces fold
    assert _normalise.cache_info().hits == hits + 1
    normalise_date("the summer of 2017", date(2016, 3, 15))
    assert _normalise.cache_info().hits == hits + 1


def test_packaged_cues_load():
    cues = load_cues()
    assert {cue.kind for cue in cues} >= {"comparison", "relative"}


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "x", "kind": "nostalgia", "relation": "before", "terms": ["a"]}', "'kind'"),
    ('{"id": "x", "kind": "relative", "relation": "earlier", "terms": ["a"]}', "'relation'"),
    ('{"id": "x", "kind": "relative", "relation": "before"}', "exactly one of"),
    ('{"id": "x", "kind": "relative", "relation": "before", "terms": []}', "'terms'"),
    ('{"id": "x", "kind": "relative", "relation": "before", "terms": ["a"], "colour": 1}',
     "unknown key"),
    ('{"id": "x", "kind": "relative", "relation": "before", "terms": ["a"',
     ""),
])
def test_bad_cue_files_name_file_and_line(tmp_path, line, problem):
    path = tmp_path / "cues.jsonl"
    path.write_text('{"id": "ok", "kind": "relative", "relation": "before", "terms": ["b"]}\n'
                    + line + "\n", encoding="utf-8")
    with pytest.raises(CueError) as error:
        load_cues(path)
    message = str(error.value)
    assert f"{path}:2" in message and problem in message
    assert "\n" not in message


def _claim(nlp, sentence, day):
    [claim] = extract_claims(sentence, nlp=nlp, date=day)
    return claim


@pytest.mark.parametrize(("sentence", "day", "anchor", "value"), [
    ("An accord signed in March 2008 still governs the transit of oil.", D1, "March 2008",
     "2008-03"),
    ("The 2013 drills remain the model for every exercise.", D1, "2013", "2013"),
    ("Before 2014, trade between the two states grew every year.", D1, "2014", "2014"),
    ("Exports fall when prices fall, as they did in 2021.", D1, "2021", "2021"),
    ("Minsk signed the contract last year.", D1, "last year", "2023"),
    ("Warsaw raised its spending at the end of April.", D2, "end of April", "2019-04"),
])
def test_a_past_anchor_anywhere_in_the_sentence_makes_it_historical(nlp, sentence, day,
                                                                     anchor, value):
    claim = _claim(nlp, sentence, day)
    assert "historical" in claim.categories
    [evidence] = [item for item in claim.evidence if item["rule"] == "hist.past_anchor"]
    assert evidence["match"] == anchor
    assert evidence["value"] == value
    assert claim.text[evidence["start"]:evidence["end"]] == anchor
    assert any(item["value"] == value for item in claim.time["anchors"])


@pytest.mark.parametrize(("sentence", "rule"), [
    ("The army is now larger than before.", "hist.comparison"),
    ("The drills were smaller than previous iterations.", "hist.comparison"),
    ("For the first time, Minsk bought gas from a Western supplier.", "hist.comparison"),
    ("Since then, the border has stayed closed.", "hist.relative_past"),
    ("The border was formerly open to traders.", "hist.relative_past"),
    ("A former minister leads the commission.", "hist.relative_past"),
    ("Ukraine was no longer able to supply electricity.", "hist.cessation_past"),
])
def test_comparison_and_relative_cues_are_historical(nlp, sentence, rule):
    claim = _claim(nlp, sentence, D1)
    assert rule in {item["rule"] for item in claim.evidence}, claim.evidence


@pytest.mark.parametrize(("sentence", "day"), [
    ("Belarus exports potash to China.", D1),
    ("Minsk will host the summit next year.", D1),
    ("Chisinau no longer depends on Russian gas.", D1),
    ("Troops drilled near the border on January 10.", D3),
    ("The exercise is scheduled to end on 20 March 2024.", D1),
])
def test_present_news_and_the_future_are_not_historical(nlp, sentence, day):
    assert "historical" not in _claim(nlp, sentence, day).categories


@pytest.mark.parametrize(("sentence", "frame"), [
    ("Belarus exports potash to China.", "present"),
    ("Minsk signed the contract.", "past"),
    ("Minsk will sign the contract.", "future"),
    ("Belarus depends on Russia more than it did in 2010.", "mixed"),
    ("Minsk will host the summit next year.", "future"),
])
def test_every_claim_has_a_time_frame(nlp, sentence, frame):
    assert _claim(nlp, sentence, D1).time["frame"] == frame


def test_date_entities_carry_their_normalisation(nlp):
    claim = _claim(nlp, "Minsk and Moscow signed the treaty on 8 December 1999.", D1)
    [entity] = [item for item in claim.entities if item["label"] == "DATE"]
    assert (entity["value"], entity["granularity"], entity["relation"]) == (
        "1999-12-08", "day", "before")
    assert entity["reason"] is None


def test_without_an_article_date_relative_dates_stay_unresolved(nlp):
    claim = _claim(nlp, "Minsk signed the contract last year.", None)
    [anchor] = claim.time["anchors"]
    assert (anchor["value"], anchor["relation"]) == (None, "unknown")
    assert anchor["reason"]


def test_extract_date_option_fills_in_for_inputs_without_a_date(tmp_path):
    (tmp_path / "a.txt").write_text("Minsk signed the contract last year.\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "b", "text": "Minsk signed the contract last year.", "date": "2010-06-01"}\n',
        encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"),
                                      str(tmp_path / "b.jsonl"), "-o", str(out), "-q",
                                      "--date", "2024-03-15"])
    assert result.exit_code == 0, result.output
    import json

    documents = [json.loads(line) for line in (tmp_path / "documents.jsonl").open()]
    assert [(d["date"], d["date_source"]) for d in documents] == [
        ("2024-03-15", "option"), ("2010-06-01", "input")]
    claims = [json.loads(line) for line in out.open()]
    assert [c["time"]["anchors"][0]["value"] for c in claims] == ["2023", "2009"]


def test_extract_rejects_a_malformed_date(tmp_path):
    result = CliRunner().invoke(app, ["extract", "-", "-o", str(tmp_path / "c.jsonl"),
                                      "--date", "15/03/2024"], input="Text.")
    assert result.exit_code != 0
    assert "--date" in result.output and "YYYY-MM-DD" in result.output
