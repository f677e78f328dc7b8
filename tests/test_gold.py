"""Gold files: reading, validation errors by file:line, export, and the annotation importers."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import belnlp.gold.goldset
import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.gold.goldset import GoldError, import_gold, parse_gold, read_gold, select_split

GOLD_DIR = Path(__file__).parent / "gold"
FIXTURES = Path(__file__).parent / "fixtures" / "gold_import"
TEXT = "Russia sells gas to Belarus. Will Minsk pay?"
DOC = {"type": "document", "doc_id": "d1", "title": None, "held_out": False, "text": TEXT}
S1 = {"type": "sentence", "start": 0, "end": 28, "text": "Russia sells gas to Belarus.",
      "claim": True, "kind": "body", "categories": ["economic"], "modality": "asserted",
      "entities": [{"text": "Russia", "label": "GPE", "start": 0, "end": 6, "actor": "RUS"}],
      "relations": [{"subject": "Russia", "predicate": "sells", "object": "gas"}]}
S2 = {"type": "sentence", "start": 29, "end": 44, "text": "Will Minsk pay?", "claim": False,
      "kind": "question", "categories": [], "modality": None, "entities": [], "relations": []}


@pytest.fixture(scope="module")
def nlp():
    return belnlp.nlp.pipeline.build_nlp()


@pytest.fixture()
def use_nlp(nlp, monkeypatch):
    """The CLI commands get the module's pipeline instead of loading their own."""
    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)
    monkeypatch.setattr(belnlp.gold.goldset, "sentence_splitter", lambda *args, **kwargs: nlp)


def lines(*records):
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]


def test_the_shipped_gold_set_reads_and_splits():
    documents = read_gold([GOLD_DIR])
    assert len(documents) == 7
    assert len(select_split(documents, "held-out")) == 3
    assert len(select_split(documents, "tuned")) == 4
    assert select_split(documents, "all") == documents
    for document in documents:
        assert document.claims
        for sentence in document.sentences:
            assert document.text[sentence["start"]:sentence["end"]] == sentence["text"]


def test_several_documents_in_one_file():
    other = {**DOC, "doc_id": "d2"}
    documents = parse_gold(lines(DOC, S1, S2, other, S1), "two.jsonl")
    assert [(d.doc_id, len(d.sentences)) for d in documents] == [("d1", 2), ("d2", 1)]
    assert [s["text"] for s in documents[0].claims] == [S1["text"]]


@pytest.mark.parametrize(("records", "message"), [
    ((DOC, "{not json"), "bad.jsonl:2: not valid JSON"),
    ((DOC, {k: v for k, v in S1.items() if k != "claim"}),
     "bad.jsonl:2: 'claim' is a required property"),
    ((DOC, {**S1, "modality": "likely"}), "bad.jsonl:2: modality: 'likely' is not valid"),
    ((DOC, {**S1, "start": "0"}), "bad.jsonl:2: start: '0' is not of type 'integer'"),
    ((DOC, {**S1, "type": "claim"}), "bad.jsonl:2: 'type' must be"),
    ((DOC, {**S1, "text": "Russia sells gas"}),
     "bad.jsonl:2: sentence text 'Russia sells gas' differs from the document text at 0-28"),
    ((DOC, {**S1, "end": 99, "text": TEXT[0:99]}), "bad.jsonl:2: sentence offsets 0-99 lie"),
    ((DOC, {**S1, "entities": [{"text": "Belarus", "label": "GPE", "start": 0, "end": 7}]}),
     "bad.jsonl:2: entities/0 text 'Belarus' differs from the document text at 0-7"),
    ((DOC, S2, S1), "bad.jsonl:3: sentence starts at 0, before the previous one ends (44)"),
    ((S1,), "bad.jsonl:1: sentence line before any document line"),
    ((), "bad.jsonl: no document line"),
])
def test_malformed_lines_name_file_and_line(tmp_path, records, message):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines(*records)), encoding="utf-8")
    with pytest.raises(GoldError) as error:
        read_gold([path])
    assert str(error.value).startswith(f"{tmp_path}/{message}")


def test_duplicate_doc_ids_and_missing_paths_are_errors(tmp_path):
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text("\n".join(lines(DOC, S1)), encoding="utf-8")
    with pytest.raises(GoldError, match="b.jsonl: doc_id 'd1' appears twice"):
        read_gold([tmp_path])
    with pytest.raises(GoldError, match="no such file or directory"):
        read_gold([tmp_path / "nothing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldError, match="no gold .jsonl files"):
        read_gold([tmp_path / "empty"])


def test_export_writes_extract_ready_records(tmp_path):
    out = tmp_path / "gold-docs.jsonl"
    result = CliRunner().invoke(app, ["gold", "export", str(GOLD_DIR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    documents = read_gold([GOLD_DIR])
    assert records == [{"id": d.doc_id, "text": d.text, "date": d.date} for d in documents]


def sentences_of(imported, doc_id):
    found, current = [], None
    for line in imported:
        if line["type"] == "document":
            current = line["doc_id"]
        elif current == doc_id:
            found.append(line)
    return found


def test_doccano_import(nlp):
    imported = import_gold("doccano", FIXTURES / "doccano.jsonl", nlp)
    first = sentences_of(imported, "1")
    # the span " Belarus" [19, 27) loses its space; "gpe" becomes "GPE"; the question is no claim
    assert [(s["text"], s["claim"], s["kind"], s["categories"]) for s in first] == [
        ("Russia sells gas to Belarus.", True, "body", ["economic"]),
        ("Will Minsk pay?", False, "question", []),
    ]
    assert first[0]["entities"] == [
        {"text": "Russia", "label": "GPE", "start": 0, "end": 6},
        {"text": "Belarus", "label": "GPE", "start": 20, "end": 27},
    ]
    second = sentences_of(imported, "2")
    # spans in "label" in both doccano shapes; no document labels here, but the export has
    # some, so this document is annotated with none; the paragraph break splits sentences
    assert [(s["start"], s["end"], s["categories"]) for s in second] == [(0, 40, []),
                                                                         (42, 63, [])]
    assert [e["text"] for e in second[0]["entities"]] == ["NATO", "Minsk"]
    assert all("modality" not in s and "relations" not in s for s in first + second)


def test_labelstudio_import(nlp):
    imported = import_gold("labelstudio", FIXTURES / "labelstudio.json", nlp)
    # the cancelled annotation and the task nobody annotated are not gold
    assert [line["doc_id"] for line in imported if line["type"] == "document"] == ["7", "8"]
    seven = sentences_of(imported, "7")
    assert [s["categories"] for s in seven] == [["military"], ["military"]]
    assert [[e["text"] for e in s["entities"]] for s in seven] == [["NATO"], ["Kremlin"]]
    [eight] = sentences_of(imported, "8")
    assert (eight["categories"], eight["entities"]) == (["economic", "military"], [])


def test_prodigy_import_merges_answers_on_one_text(nlp):
    imported = import_gold("prodigy", FIXTURES / "prodigy.jsonl", nlp)
    documents = [line for line in imported if line["type"] == "document"]
    # ignored and rejected span records are dropped; the rejected binary label still says
    # "annotated, not military" for "The Kremlin objected."
    assert [d["text"] for d in documents] == [TEXT, "The Kremlin objected."]
    assert documents[0]["doc_id"] == "p1"
    first = sentences_of(imported, "p1")
    assert first[0]["categories"] == ["economic"]
    assert [e["text"] for e in first[0]["entities"]] == ["Russia", "Belarus"]
    [kremlin] = sentences_of(imported, documents[1]["doc_id"])
    assert (kremlin["categories"], kremlin["entities"]) == ([], [])


@pytest.mark.parametrize(("kind", "content", "message"), [
    ("doccano", '{"text": "Short.", "entities": [[0, 40, "GPE"]]}',
     "in.jsonl:1: span 0-40 lies outside the text (6 characters)"),
    ("doccano", '{"text": "Short."}\n{"entities": []}', "in.jsonl:2: no text"),
    ("prodigy", '{"text": "Short.", "spans": [{"start": 0, "label": "GPE"}]}',
     "in.jsonl:1: a span needs integer start and end"),
    ("labelstudio", '{"data": {"text": "Short."}}',
     "in.jsonl: a Label Studio JSON export is a list"),
    ("brat", "", "unknown annotation tool 'brat'"),
])
def test_import_errors(tmp_path, nlp, kind, content, message):
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as error:
        import_gold(kind, path, nlp)
    assert message in str(error.value)


@pytest.mark.parametrize(("tool", "name"), [("doccano", "doccano.jsonl"),
                                            ("labelstudio", "labelstudio.json"),
                                            ("prodigy", "prodigy.jsonl")])
def test_imported_gold_evaluates(tmp_path, use_nlp, tool, name):
    out = tmp_path / "imported.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["gold", "import", "--from", tool, str(FIXTURES / name),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_gold([out])
    result = runner.invoke(app, ["evaluate", "--gold", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = {row["metric"]: row for row in json.loads(result.output)["scores"]}
    assert scores["claims"]["gold"] > 0
    assert scores["claims"]["f1"] > 0.5
    assert scores["relations lenient"]["gold"] == 0  # an export has no relations


def test_import_cli_errors_are_one_line(tmp_path, use_nlp):
    result = CliRunner().invoke(app, ["gold", "import", "--from", "brat",
                                      str(FIXTURES / "doccano.jsonl")])
    assert result.exit_code == 1
    assert result.output.strip() == ("belnlp: error: --from must be one of doccano, "
                                     "labelstudio, prodigy, not 'brat'")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["gold", "import", "--from", "doccano", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip() == f"belnlp: error: {bad}:1: not valid JSON (Expecting " \
        "property name enclosed in double quotes)"


def test_export_extract_then_evaluate_with_pred_gives_the_same_scores(tmp_path, use_nlp):
    gold = GOLD_DIR / "union-state-history.jsonl"
    docs, claims = tmp_path / "gold-docs.jsonl", tmp_path / "claims.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["gold", "export", str(gold), "-o", str(docs)]).exit_code == 0
    result = runner.invoke(app, ["extract", str(docs), "-o", str(claims), "-q"])
    assert result.exit_code == 0, result.output
    args = ["evaluate", "--gold", str(gold), "--format", "json"]
    with_pred = runner.invoke(app, [*args, "--pred", str(claims)])
    extracted_here = runner.invoke(app, args)
    assert with_pred.exit_code == 0, with_pred.output
    assert json.loads(with_pred.output) == json.loads(extracted_here.output)
