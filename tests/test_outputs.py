"""Reading claims and documents JSONL: valid files, every kind of bad line, atomic writes."""

import json
import os
import stat
from pathlib import Path

import jsonschema
import pytest

from belnlp.records import schema
from belnlp.views.outputs import (
    OutputsError,
    atomic_path,
    documents_path,
    predicate_lemma,
    read_claims,
    read_documents,
    write_text,
)
from tests.fixtures.claim_files import HAND_CLAIMS, HAND_DOCUMENTS


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_hand_fixture_follows_the_contract():
    documents = {record["doc_id"]: record for record in read_documents(HAND_DOCUMENTS).records}
    for record in documents.values():
        jsonschema.validate(record, schema("document"))
    for record in read_claims([HAND_CLAIMS]).records:
        jsonschema.validate(record, schema("claim"))
        text = documents[record["doc_id"]]["text"]
        assert text[record["start"]:record["end"]] == record["text"]
        for entity in record["entities"]:
            assert text[entity["start"]:entity["end"]] == entity["text"]


def test_reads_every_record_of_every_file_in_order(tmp_path):
    second = write_lines(tmp_path / "more.jsonl", lines(HAND_CLAIMS)[:2])
    loaded = read_claims([HAND_CLAIMS, second])
    ids = [record["claim_id"] for record in loaded.records]
    assert len(ids) == 9 + 2
    assert ids[9:] == ids[:2]
    assert loaded.skipped == []


def test_blank_lines_are_not_records(tmp_path):
    path = write_lines(tmp_path / "claims.jsonl", [lines(HAND_CLAIMS)[0], "", "   "])
    assert len(read_claims([path]).records) == 1


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"schema": "belnlp.claim/1", "claim_id": ', "not JSON"),
        ("[1, 2, 3]", "not a JSON object"),
    ],
)
def test_a_line_that_is_no_json_object_names_file_and_line(tmp_path, bad_line, reason):
    path = write_lines(tmp_path / "claims.jsonl", [lines(HAND_CLAIMS)[0], bad_line])
    with pytest.raises(OutputsError, match=rf"^{path}:2: {reason}"):
        read_claims([path])


def test_a_line_that_is_not_utf8_names_file_and_line(tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b'{"schema": "belnlp.claim/1", "text": "caf\xe9"}\n')
    with pytest.raises(OutputsError, match=rf"^{path}:1: not JSON"):
        read_claims([path])


def test_a_missing_field_names_file_line_and_field(tmp_path):
    record = json.loads(lines(HAND_CLAIMS)[0])
    del record["categories"], record["modality"]
    path = write_lines(tmp_path / "claims.jsonl", ["", json.dumps(record)])
    with pytest.raises(OutputsError, match=rf"^{path}:2: missing required field\(s\): "
                                           r"categories, modality$"):
        read_claims([path])


@pytest.mark.parametrize("value", ["belnlp.claim/2", "belnlp.document/1", None])
def test_a_wrong_schema_value_names_file_and_line(tmp_path, value):
    record = json.loads(lines(HAND_CLAIMS)[0])
    record["schema"] = value
    path = write_lines(tmp_path / "claims.jsonl", [json.dumps(record)])
    with pytest.raises(OutputsError, match=rf"^{path}:1: schema is .*expected 'belnlp.claim/1'"):
        read_claims([path])


def test_skip_invalid_goes_on_and_counts_each_bad_line(tmp_path):
    good = lines(HAND_CLAIMS)
    record = json.loads(good[0])
    del record["text"]
    path = write_lines(tmp_path / "claims.jsonl",
                       [good[0], "oops", good[1], json.dumps(record), '{"schema": "x"}', good[2]])
    loaded = read_claims([path], skip_invalid=True)
    assert [r["claim_id"] for r in loaded.records] == [json.loads(g)["claim_id"]
                                                       for g in good[:3]]
    assert [message.split(": ")[0] for message in loaded.skipped] == [
        f"{path}:2", f"{path}:4", f"{path}:5"]


def test_documents_file_is_checked_against_its_own_schema(tmp_path):
    path = write_lines(tmp_path / "documents.jsonl", [lines(HAND_CLAIMS)[0]])
    with pytest.raises(OutputsError, match="expected 'belnlp.document/1'"):
        read_documents(path)
    assert len(read_documents(HAND_DOCUMENTS).records) == 2


@pytest.mark.parametrize(
    ("claims", "documents"),
    [
        ("outputs/claims.jsonl", "outputs/documents.jsonl"),
        ("run/2024.jsonl", "run/2024.documents.jsonl"),
        ("claims.jsonl", "documents.jsonl"),
    ],
)
def test_documents_file_sits_beside_the_claims_file(claims, documents):
    assert documents_path(claims) == Path(documents)


def test_stdin_has_no_documents_file():
    assert documents_path("-") is None


def test_atomic_write_replaces_on_success_and_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "first\n")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_text(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


def test_atomic_write_gives_the_usual_file_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "report.html", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("predicate", "lemma"),
    [
        ("relies on", "rely"),
        ("signed", "sign"),
        ("is largest trading partner of", "be"),
        ("was accused of", "accuse"),
        ("has never withdrawn", "withdraw"),
        ("did not recognise", "recognise"),
        ("could build", "build"),
        ("must defend", "defend"),
        ("will stay in", "stay"),
        ("stopped importing", "stop"),
        ("is sold to", "sell"),
        ("has provided financial support to", "provide"),
        ("revised", "revise"),
        ("is likely to lose", "lose"),
        ("will be", "be"),
        ("are no longer", "be"),
        ("buys", "buy"),
        ("pushes", "push"),
        ("Relies On", "rely"),
    ],
)
def test_predicate_lemma(predicate, lemma):
    assert predicate_lemma(predicate) == lemma
