"""Attribution in the views: inspect's speaker filters and summary, the report's speaker line
and marker, and graph --speakers, on claims extracted from a text written for the purpose."""

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from belnlp import extract_claims
from belnlp.cli import app
from belnlp.views.graph import actor_graph
from belnlp.views.inspect import Filters, load, select, summary
from belnlp.views.report import claim_html
from belnlp.views.speakers import AUTHOR, NO_ACTOR, add_speaker_edges

TEXT = ("Polish officials warned that Russian troops could stay in Belarus. "
        "Belarus hosts Russian troops. "
        "Lukashenko said that Poland threatens Belarus. "
        "Experts believe the union will deepen.")


@pytest.fixture(scope="module")
def records(nlp):
    found = [claim.to_record() for claim in extract_claims(TEXT, nlp=nlp)]
    assert [bool(record["attribution"]) for record in found] == [True, False, True, True]
    return found


@pytest.fixture()
def claims_file(tmp_path, records):
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def texts(tables):
    return tables.claims["text"].str.split().str[0].tolist()


def test_inspect_filters_by_speaker_own_and_reported(records):
    tables = load(records)
    assert texts(select(tables, Filters(reported=True))) == ["Polish", "Lukashenko", "Experts"]
    assert texts(select(tables, Filters(own=True))) == ["Belarus"]
    assert texts(select(tables, Filters(speaker="lukash"))) == ["Lukashenko"]
    assert texts(select(tables, Filters(speaker="nobody"))) == []


def test_inspect_actor_also_matches_the_speakers_actor(records):
    tables = load(records)
    # POL: the first claim only through its speaker, the third through the entity "Poland"
    assert texts(select(tables, Filters(actor="pol"))) == ["Polish", "Lukashenko"]
    assert texts(select(tables, Filters(actor="BLR"))) == ["Polish", "Belarus", "Lukashenko"]


def test_summary_counts_claims_per_speaker_actor(records):
    frame = summary(load(records)).frame
    part = frame[frame["section"] == "speaker actors"]
    assert dict(zip(part["key"], part["count"], strict=True)) == {
        AUTHOR: 1, "BLR": 1, "POL": 1, NO_ACTOR: 1}


def test_records_without_attribution_read_as_the_authors_own(records):
    old = [{key: value for key, value in record.items() if key != "attribution"}
           for record in records]
    tables = load(old)
    assert len(select(tables, Filters(own=True)).claims) == len(old)


def test_inspect_command_options(claims_file):
    runner = CliRunner()
    listed = runner.invoke(app, ["inspect", str(claims_file), "--reported", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    speakers = [record["attribution"]["speaker"]["text"] for record in json.loads(listed.output)]
    assert speakers == ["Polish officials", "Lukashenko", "Experts"]
    own = runner.invoke(app, ["inspect", str(claims_file), "--own", "--format", "json"])
    assert [record["attribution"] for record in json.loads(own.output)] == [None]
    counted = runner.invoke(app, ["inspect", str(claims_file), "--summary", "--format", "json"])
    assert json.loads(counted.output)["speaker actors"]["POL"] == 1


def test_report_panel_shows_speaker_and_cue_and_marks_reported_claims(records):
    reported = claim_html(records[0], {"military": "#c53030", "historical": "#b7791f",
                                       "economic": "#2f855a"})
    assert 'data-speaker="POL"' in reported and 'data-cue="warned"' in reported
    assert "said by: Polish officials (POL) · cue “warned” [report.speech] · indirect" in reported
    assert 'class="claim' in reported and " reported" in reported.split(">", 1)[0]
    own = claim_html(records[1], {"military": "#c53030"})
    assert "data-speaker" not in own and "said by" not in own


def test_graph_speakers_adds_edges_from_speaker_to_the_actors_of_its_claims(records):
    graph = add_speaker_edges(actor_graph(records), records)
    assert graph.edges["POL", "RUS"]["speaker_claims"] == 1
    assert graph.edges["POL", "BLR"]["speaker_claims"] == 1
    assert graph.edges["BLR", "POL"]["speaker_claims"] == 1
    assert graph.edges["POL", "RUS"]["speaker_claim_ids"] == records[0]["claim_id"]
    assert all("speaker_claims" in data for _, _, data in graph.edges(data=True))
    plain = actor_graph(records)
    assert all("speaker_claims" not in data for _, _, data in plain.edges(data=True))
    for pair in plain.edges:
        assert graph.edges[pair]["weight"] == plain.edges[pair]["weight"]
    said = {**records[1], "attribution": {**records[0]["attribution"], "speaker": {
        **records[0]["attribution"]["speaker"], "actor": "UKR"}}}
    graph = add_speaker_edges(actor_graph([said]), [said])
    assert graph.edges["UKR", "RUS"]["weight"] == 0  # said by UKR, no relation from UKR
    assert graph.edges["UKR", "RUS"]["speaker_claims"] == 1
    assert graph.edges["BLR", "RUS"]["speaker_claims"] == 0


def test_graph_command_speakers_option(claims_file, tmp_path):
    out = tmp_path / "actors.graphml"
    result = CliRunner().invoke(app, ["graph", str(claims_file), "-o", str(out), "--speakers"])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.edges["POL", "RUS"]["speaker_claims"] == 1


def test_explain_prints_who_says_it(records):
    from belnlp.records import Claim
    from belnlp.views.explain import format_claim

    fields = {key: value for key, value in records[2].items() if key != "schema"}
    text = format_claim(Claim(**fields))
    assert "said by: Lukashenko (BLR) · cue “said” [report.speech] · indirect" in text
    own = {key: value for key, value in records[1].items() if key != "schema"}
    assert "said by" not in format_claim(Claim(**own))
