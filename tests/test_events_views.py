"""Events in use: inspect --event/--quad and its event sections, the graph's event edges,
the report's edge colours, and `belnlp events` (CSV, Parquet, stdout)."""

import io
import json

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.views.events import COLUMNS
from belnlp.views.graph import actor_graph
from belnlp.views.outputs import read_claims
from belnlp.views.report import QUAD_COLOURS, build_report

runner = CliRunner()

TEXT = """Pressure and talks

The EU imposed new sanctions on Belarus in June 2021. Poland and Lithuania condemned Minsk.
Russia will deploy more troops to Belarus. China did not lend Belarus money.
Lukashenko holds regular talks with Putin. Belarus buys gas from Russia.
"""


@pytest.fixture(scope="module")
def claims(tmp_path_factory):
    folder = tmp_path_factory.mktemp("events")
    source = folder / "piece.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = folder / "claims.jsonl"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    documents = out.with_name("documents.jsonl")
    lines = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        line["date"] = "2024-05-01"
    documents.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return out


def csv_of(result) -> pd.DataFrame:
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)


def test_inspect_filters_by_event_type_and_quad(claims):
    sanctions = csv_of(runner.invoke(app, ["inspect", str(claims), "--event", "sanction",
                                           "--format", "csv"]))
    assert sanctions["text"].tolist() == ["The EU imposed new sanctions on Belarus in June 2021."]
    conflict = csv_of(runner.invoke(app, ["inspect", str(claims), "--quad", "material-conflict",
                                          "--format", "csv"]))
    assert len(conflict) == 2 and all("Belarus" in text for text in conflict["text"])
    both = csv_of(runner.invoke(app, ["inspect", str(claims), "--event", "SANCTION", "--quad",
                                      "verbal conflict", "--format", "csv"]))
    assert both.empty


def test_inspect_refuses_unknown_types_and_quads(claims):
    for option, value in (("--event", "HUG"), ("--quad", "material friendship")):
        result = runner.invoke(app, ["inspect", str(claims), option, value])
        assert result.exit_code == 1
        assert result.stderr.startswith("belnlp: error: ") and value in result.stderr


def test_summary_counts_events_per_type_mode_and_dyad(claims):
    frame = csv_of(runner.invoke(app, ["inspect", str(claims), "--format", "csv"]))
    counts = {(s, k): c for s, k, c in frame.itertuples(index=False)}
    assert counts["events", "ACCUSE"] == 2
    assert counts["event dyads", "POL→BLR ACCUSE"] == 1
    assert counts["event dyads", "LTU→BLR ACCUSE"] == 1
    assert counts["event modes", "negated"] == 1
    assert counts["event modes", "future"] == 1


def test_graph_edges_carry_event_types_and_a_cooperation_score(claims):
    graph = actor_graph(read_claims([claims]).records)
    assert graph.edges["EU", "BLR"]["events"] == "SANCTION"
    assert graph.edges["EU", "BLR"]["cooperation"] == -1.0
    assert graph.edges["EU", "BLR"]["quad"] == "material conflict"
    assert graph.edges["BLR", "RUS"]["cooperation"] > 0
    # Only realised events score: a denied loan and a planned deployment do not.
    assert "cooperation" not in graph.edges["CHN", "BLR"]
    assert graph.edges["RUS", "BLR"]["quad"] == ""


def test_graphml_keeps_the_event_attributes(claims, tmp_path):
    out = tmp_path / "actors.graphml"
    assert runner.invoke(app, ["graph", str(claims), "-o", str(out)]).exit_code == 0
    edge = nx.read_graphml(out).edges["EU", "BLR"]
    assert (edge["events"], edge["cooperation"]) == ("SANCTION", -1.0)


def test_report_colours_network_edges_by_quad(claims):
    records = read_claims([claims]).records
    page = build_report(records, {}, source="claims.jsonl")
    assert 'data-quad="material conflict"' in page
    conflict = page.split('data-quad="material conflict"', 1)[1].split(">", 1)[0]
    assert f'stroke="{QUAD_COLOURS["material conflict"]}"' in conflict
    assert "SANCTION EU→BLR (historical)" in page


def test_events_command_writes_polecat_style_rows(claims, tmp_path):
    frame = csv_of(runner.invoke(app, ["events", str(claims), "-o", "-"]))
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == 7
    row = frame[frame["event_type"] == "SANCTION"].iloc[0]
    assert (row["actor_country"], row["recipient_country"], row["quad_code"],
            row["event_mode"], row["publication_date"]) == ("EU", "BLR", 4, "historical",
                                                             "2024-05-01")
    assert row["event_id"].startswith(row["claim_id"] + "#")
    out = tmp_path / "events.parquet"
    assert runner.invoke(app, ["events", str(claims), "-o", str(out)]).exit_code == 0
    parquet = pd.read_parquet(out)
    assert parquet["event_type"].tolist() == frame["event_type"].tolist()
    assert parquet["quad_code"].dtype == "int64"
    csv_out = tmp_path / "events.csv"
    assert runner.invoke(app, ["events", str(claims), "-o", str(csv_out)]).exit_code == 0
    assert pd.read_csv(csv_out)["event_id"].tolist() == frame["event_id"].tolist()


def test_events_command_errors_are_one_line(claims, tmp_path):
    result = runner.invoke(app, ["events", str(claims), "-o", str(tmp_path / "events.xlsx")])
    assert result.exit_code == 1 and "the table format follows the suffix" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["events", str(bad)])
    assert result.exit_code == 1 and f"{bad}:1" in result.stderr
