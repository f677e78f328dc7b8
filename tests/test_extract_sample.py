"""The sample article end to end: schema-valid records, exact offsets, no furniture claims."""

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from belnlp import extract_claims
from belnlp.cli import app
from belnlp.records import schema

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), "-o", str(out / "claims.jsonl"),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    return out, claims, docs


def by_text(claims, start):
    [claim] = [c for c in claims if c["text"].startswith(start)]
    return claim


def triples(claim):
    return [(r["subject"]["text"], r["predicate"]["text"], (r["object"] or {}).get("text"))
            for r in claim["relations"]]


def test_records_validate_and_offsets_index_the_document_text(outputs):
    _, claims, [doc] = outputs
    jsonschema.validate(doc, schema("document"))
    assert doc["n_claims"] == len(claims) > 50
    assert doc["title"] == "Strategic choices of Belarus in its region"
    assert doc["author"] == "Muhammad Akram Zaheer"
    for claim in claims:
        jsonschema.validate(claim, schema("claim"))
        text = doc["text"]
        assert text[claim["start"]:claim["end"]] == claim["text"]
        for item in claim["entities"] + claim["evidence"]:
            assert item.get("match", item.get("text")) == text[item["start"]:item["end"]]


def test_no_claim_from_title_byline_bio_forms_teasers_or_stamp(outputs):
    _, claims, _ = outputs
    joined = "\n".join(c["text"] for c in claims)
    for furniture in ("Strategic choices of Belarus in its region", "relationship remains key",
                      "Zaheer", "can be reached", "Please enter", "Must Read", "vigilante",
                      "Epaper", "Power politics"):
        assert furniture not in joined


def test_spec_triples_on_the_sample(outputs):
    _, claims, _ = outputs
    trade = by_text(claims, "Russia is Belarus’s largest trading partner.")
    [rel] = trade["relations"]
    assert (rel["subject"]["text"], rel["predicate"]["text"], rel["object"]["text"]) == (
        "Russia", "is largest trading partner of", "Belarus")
    assert (rel["subject"]["actor"], rel["object"]["actor"]) == ("RUS", "BLR")
    oil = by_text(claims, "Belarus relies heavily on Russian oil and gas")
    assert ("Belarus", "relies on", "Russian oil and gas") in triples(oil)
    drills = by_text(claims, "Belarus and Russia conduct regular joint military exercises")
    subjects = {s for s, p, _ in triples(drills) if p == "conduct"}
    assert subjects == {"Belarus", "Russia"}
    assert {"text": "Zapad", "label": "EVENT"}.items() <= next(
        e for e in drills["entities"] if e["text"] == "Zapad").items()


def test_entities_across_the_sample(outputs):
    _, claims, _ = outputs
    entities = [e for c in claims for e in c["entities"]]
    assert {e["label"] for e in entities if e["text"] == "Belarus"} == {"GPE"}
    assert all(e["actor"] == "CSTO" and e["label"] == "ORG"
               for e in entities if e["text"] == "CSTO")
    assert any(e["text"] == "Kremlin" and e["actor"] == "RUS" for e in entities)
    assert not any(e["text"].endswith(("’", "'", "’s", "'s")) for e in entities)


def test_same_input_twice_gives_byte_identical_output(outputs, tmp_path):
    out, _, _ = outputs
    again = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), "-o", str(again), "--quiet"])
    assert result.exit_code == 0
    assert again.read_bytes() == (out / "claims.jsonl").read_bytes()
    assert (tmp_path / "documents.jsonl").read_bytes() == (out / "documents.jsonl").read_bytes()


def test_stdout_and_stdin(tmp_path):
    result = CliRunner().invoke(app, ["extract", "-", "-o", "-", "--quiet"],
                                input="Russia has pledged military support to Belarus.")
    assert result.exit_code == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"] == "-" and record["categories"] == ["military"]


def test_a_failing_input_is_reported_and_the_rest_processed(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "empty.txt"), str(SAMPLE),
                                      "-o", str(tmp_path / "claims.jsonl"), "--quiet"])
    assert result.exit_code == 1
    assert "empty.txt: empty document" in result.stderr
    assert len((tmp_path / "claims.jsonl").read_text().splitlines()) > 50


def test_library_returns_claim_objects(nlp):
    [claim] = extract_claims("In 1999, Belarus and Russia signed a treaty to form a Union "
                             "State.", nlp=nlp)
    assert "historical" in claim.categories
    assert claim.to_record()["schema"] == "belnlp.claim/1"


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("belnlp ")


def test_list_items_are_claims_without_their_bullets(nlp):
    text = ("Three facts matter:\n\n- Poland must keep its border open to grain.\n"
            "- Kyiv will need Polish ports.\n")
    claims = extract_claims(text, nlp=nlp)
    assert [c.text for c in claims][-2:] == ["Poland must keep its border open to grain.",
                                              "Kyiv will need Polish ports."]
    assert [c.modality for c in claims][-2:] == ["necessary", "predicted"]
