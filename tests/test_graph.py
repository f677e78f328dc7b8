"""graph: the actor network of the hand-made file edge by edge, and every output format of
the command on a real `belnlp extract` output."""

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.views.graph import actor_graph
from belnlp.views.outputs import read_claims
from tests.fixtures.claim_files import HAND_CLAIMS, pipeline_claims

runner = CliRunner()


@pytest.fixture(scope="module")
def hand() -> nx.DiGraph:
    return actor_graph(read_claims([HAND_CLAIMS]).records)


@pytest.fixture(scope="session")
def claims_file(tmp_path_factory) -> Path:
    return pipeline_claims(tmp_path_factory)


def actors_of(argument, references) -> list[str]:
    """An argument's actor, or every antecedent actor of the anaphor inside it that gave it."""
    if not argument or not argument["actor"]:
        return []
    for ref in references:
        inside = argument["start"] <= ref["start"] and ref["end"] <= argument["end"]
        if inside and ref["antecedent"]["actor"] == argument["actor"]:
            return [other["antecedent"]["actor"] for other in references
                    if (other["start"], other["end"]) == (ref["start"], ref["end"])]
    return [argument["actor"]]


def expected_pairs(records) -> dict[tuple[str, str], list[str]]:
    """Claim ids per (subject actor, object actor or event target), straight from the records."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in records:
        references = record.get("references", [])
        for relation in record["relations"]:
            event = relation.get("event")
            targets = ([event["target"]] if event and event.get("target")
                       else actors_of(relation["object"], references))
            for subject in actors_of(relation["subject"], references):
                for obj in targets:
                    if subject != obj and record["claim_id"] not in pairs[(subject, obj)]:
                        pairs[(subject, obj)].append(record["claim_id"])
    return dict(pairs)


def test_an_anaphor_for_two_actors_gives_an_edge_from_each():
    """'The two countries joined the CSTO': BLR -> CSTO and RUS -> CSTO, and both are
    mentioned once more."""
    text = "The two countries joined the CSTO."
    record = {
        "claim_id": "d:100-134", "categories": ["military"], "text": text,
        "entities": [{"text": "CSTO", "label": "ORG", "start": 129, "end": 133,
                      "actor": "CSTO"}],
        "relations": [{"subject": {"text": "The two countries", "start": 100, "end": 117,
                                   "actor": "BLR"},
                       "predicate": {"text": "joined", "start": 118, "end": 124, "actor": None},
                       "object": {"text": "the CSTO", "start": 125, "end": 133, "actor": "CSTO"},
                       "negated": False, "modality": "asserted"}],
        "references": [
            {"text": "The two countries", "start": 100, "end": 117, "rule": "ref.pair",
             "antecedent": {"text": name, "start": start, "end": start + len(name),
                            "actor": actor}}
            for name, start, actor in (("Belarus", 0, "BLR"), ("Russia", 12, "RUS"))],
    }
    graph = actor_graph([record])
    assert set(graph.edges) == {("BLR", "CSTO"), ("RUS", "CSTO")}
    assert graph.nodes["BLR"]["mentions"] == graph.nodes["RUS"]["mentions"] == 1


def test_nodes_are_actors_with_mention_counts(hand):
    assert sorted(hand) == ["BLR", "EU", "LTU", "NATO", "POL", "RUS", "UKR", "UNION_STATE"]
    assert hand.nodes["BLR"]["mentions"] == 9
    assert hand.nodes["BLR"]["names"] == "Belarus|Minsk|Belarusian"
    assert hand.nodes["UNION_STATE"]["mentions"] == 1


def test_one_edge_per_actor_pair_gathers_its_relations(hand):
    edge = hand.edges["RUS", "BLR"]
    assert edge["weight"] == 2
    assert edge["claim_ids"] == "belarus-russia:20-64|belarus-russia:180-280"
    assert edge["predicates"] == "be|stay"
    assert edge["categories"] == "economic|military"
    assert hand.edges["BLR", "RUS"]["predicates"] == "rely"


def test_negated_relations_say_so(hand):
    assert hand.edges["BLR", "UKR"]["predicates"] == "not recognise"
    assert hand.edges["BLR", "UKR"]["categories"] == ""


def test_edges_follow_the_records(hand):
    pairs = expected_pairs(read_claims([HAND_CLAIMS]).records)
    assert set(hand.edges) == set(pairs)
    assert not any(source == target for source, target in hand.edges)


def test_graphml_has_one_edge_per_actor_pair_with_its_claim_ids(claims_file, tmp_path):
    out = tmp_path / "actors.graphml"
    result = runner.invoke(app, ["graph", str(claims_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    pairs = expected_pairs(read_claims([claims_file]).records)
    assert len(pairs) > 5
    assert graph.is_directed() and not graph.is_multigraph()
    assert {(s, t): d["claim_ids"].split("|") for s, t, d in graph.edges(data=True)} == pairs
    for _, _, data in graph.edges(data=True):
        assert data["weight"] >= len(data["claim_ids"].split("|"))
        assert data["predicates"]
    mentioned = {entity["actor"] for record in read_claims([claims_file]).records
                 for entity in record["entities"] if entity["actor"]}
    assert mentioned <= set(graph)


@pytest.mark.parametrize("suffix", [".gexf", ".json"])
def test_other_formats_hold_the_same_graph(claims_file, tmp_path, suffix):
    reference = tmp_path / "actors.graphml"
    out = tmp_path / f"actors{suffix}"
    for path in (reference, out):
        result = runner.invoke(app, ["graph", str(claims_file), "-o", str(path)])
        assert result.exit_code == 0, result.output
    expected = nx.read_graphml(reference)
    if suffix == ".gexf":
        graph = nx.read_gexf(out)
    else:
        graph = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")))
    assert set(graph.edges) == set(expected.edges)
    assert {node: graph.nodes[node]["mentions"] for node in graph} == {
        node: expected.nodes[node]["mentions"] for node in expected}
    for source, target in expected.edges:
        assert graph.edges[source, target]["claim_ids"] == (
            expected.edges[source, target]["claim_ids"])


def test_unknown_suffix_is_refused(claims_file, tmp_path):
    result = runner.invoke(app, ["graph", str(claims_file), "-o", str(tmp_path / "a.dot")])
    assert result.exit_code == 1
    assert ".graphml, .gexf, .json" in result.stderr
    assert not (tmp_path / "a.dot").exists()


def test_bad_line_fails_naming_file_and_line(tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_text(HAND_CLAIMS.read_text(encoding="utf-8") + "{\n", encoding="utf-8")
    result = runner.invoke(app, ["graph", str(path), "-o", str(tmp_path / "a.graphml")])
    assert result.exit_code == 1
    assert f"{path}:10: not JSON" in result.stderr
    skipped = runner.invoke(app, ["graph", str(path), "-o", str(tmp_path / "a.graphml"),
                                  "--skip-invalid"])
    assert skipped.exit_code == 0
    assert "skipped 1 invalid line(s)" in skipped.stderr
