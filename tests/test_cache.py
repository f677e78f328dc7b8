"""--incremental: re-runs reuse cached results, byte-identically, and only while nothing changed."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import belnlp.cli
import belnlp.run.process
from belnlp.cli import app

from .scale_inputs import records, write

RULE = {"id": "test.grid", "category": "economic", "terms": ["power grid"]}
OTHER_RULE = {"id": "test.border", "category": "military", "terms": ["border"]}


@pytest.fixture()
def processed(monkeypatch):
    """The doc_ids that went through the pipeline during a test."""
    seen = []
    original = belnlp.run.process.process_articles

    def counting(articles, nlp, **options):
        def tap():
            for article in articles:
                seen.append(article.doc_id)
                yield article
        return original(tap(), nlp, **options)

    monkeypatch.setattr(belnlp.run.process, "process_articles", counting)
    return seen


def extract(inputs, out, *options):
    result = CliRunner().invoke(app, ["extract", str(inputs), "-o", str(out), "--quiet",
                                      *options])
    assert result.exit_code == 0, result.output
    return out.read_bytes() + b"\0" + out.with_name(out.stem + ".documents.jsonl").read_bytes()


def rules_file(path, *rules):
    path.write_text("".join(json.dumps(rule) + "\n" for rule in rules), encoding="utf-8")
    return path


def test_a_rerun_reads_every_document_from_the_cache(tmp_path, processed, monkeypatch):
    inputs = write(tmp_path / "in.jsonl", records(12))
    plain = extract(inputs, tmp_path / "plain.jsonl")
    first = extract(inputs, tmp_path / "first.jsonl", "--incremental")
    assert first == plain
    assert (tmp_path / ".cache").is_dir()

    def no_model(*args):
        raise AssertionError("the pipeline was built although every document is cached")

    monkeypatch.setattr(belnlp.cli, "_build", no_model)
    processed.clear()
    again = extract(inputs, tmp_path / "again.jsonl", "--incremental")
    assert again == plain
    assert processed == []


def test_a_changed_rule_reprocesses_everything(tmp_path, processed):
    inputs = write(tmp_path / "in.jsonl", records(8))
    rules = rules_file(tmp_path / "extra.jsonl", RULE)
    extract(inputs, tmp_path / "first.jsonl", "--incremental", "--rules", str(rules))
    rules_file(rules, RULE, OTHER_RULE)
    processed.clear()
    changed = extract(inputs, tmp_path / "changed.jsonl", "--incremental", "--rules", str(rules))
    assert sorted(processed) == sorted(row["id"] for row in records(8))
    assert changed == extract(inputs, tmp_path / "fresh.jsonl", "--rules", str(rules))


def test_only_changed_documents_are_reprocessed_and_order_is_kept(tmp_path, processed):
    rows = records(10)
    extract(write(tmp_path / "in.jsonl", rows), tmp_path / "first.jsonl", "--incremental")
    for k in (0, 4, 5, 9):
        rows[k]["text"] += "\nBelarus buys Russian gas at a discount.\n"
    inputs = write(tmp_path / "in.jsonl", rows)
    processed.clear()
    mixed = extract(inputs, tmp_path / "mixed.jsonl", "--incremental")
    assert processed == ["doc-000", "doc-004", "doc-005", "doc-009"]
    assert mixed == extract(inputs, tmp_path / "fresh.jsonl")


def test_a_fully_cached_run_never_imports_spacy(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(3))
    out = tmp_path / "run.jsonl"
    extract(inputs, out, "--incremental")
    script = (
        "import sys\n"
        "from belnlp.cli import app\n"
        f"sys.argv = ['belnlp', 'extract', {str(inputs)!r}, '-o', {str(out)!r}, '-q', "
        "'--incremental']\n"
        "try:\n    app()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('spacy' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_a_changed_alias_table_reprocesses_everything(tmp_path, processed):
    inputs = write(tmp_path / "in.jsonl", records(3))
    table = tmp_path / "aliases.jsonl"
    table.write_text('{"actor": "BLR", "kind": "country", "names": ["Belarus"]}\n',
                     encoding="utf-8")
    extract(inputs, tmp_path / "first.jsonl", "--incremental", "--aliases", str(table))
    table.write_text('{"actor": "RUS", "kind": "country", "names": ["Russia"]}\n',
                     encoding="utf-8")
    processed.clear()
    extract(inputs, tmp_path / "again.jsonl", "--incremental", "--aliases", str(table))
    assert len(processed) == len(records(3))
