"""Extraction is a stream, and spreading it over processes changes nothing in the output."""

import json
import multiprocessing
import subprocess
import sys
from itertools import count

import pytest
from typer.testing import CliRunner

import belnlp.run.parallel
import belnlp.run.workers
from belnlp.cli import app
from belnlp.ingest.articles import Article
from belnlp.run.process import process_articles
from belnlp.run.result import encode
from belnlp.run.workers import stream_results

from .scale_inputs import records, write


def extract(inputs, out, *options):
    result = CliRunner().invoke(app, ["extract", str(inputs), "-o", str(out), "--quiet",
                                      *options])
    assert result.exit_code == 0, result.output
    return out.read_bytes(), out.with_name(out.stem + ".documents.jsonl").read_bytes()


def test_two_processes_write_the_same_bytes_as_one(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(24))
    one = extract(inputs, tmp_path / "one.jsonl", "--batch-size", "4")
    two = extract(inputs, tmp_path / "two.jsonl", "--batch-size", "4", "--n-process", "2")
    assert one == two
    assert len(two[1].decode().splitlines()) == 26
    assert len(two[0].decode().splitlines()) > 100


def test_forked_workers_use_the_pipeline_built_here(tmp_path, monkeypatch):
    inputs = write(tmp_path / "in.jsonl", records(12))
    one = extract(inputs, tmp_path / "one.jsonl", "--batch-size", "4")

    def no_build(spec):
        raise AssertionError("a forked worker built the pipeline again")

    monkeypatch.setattr(belnlp.run.parallel, "start_method", lambda: "fork")
    monkeypatch.setattr(belnlp.run.workers, "worker_pipeline", no_build)  # the workers inherit it
    two = extract(inputs, tmp_path / "two.jsonl", "--batch-size", "4", "--n-process", "2")
    assert two == one


SPAWN_WHILE_A_THREAD_RUNS = """
import threading
from belnlp.run.parallel import start_method
alone = start_method()
release = threading.Event()
other = threading.Thread(target=release.wait)
other.start()
print(alone, start_method())
release.set()
other.join()
"""


def test_workers_are_spawned_while_another_thread_runs():
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("this system cannot fork")
    done = subprocess.run([sys.executable, "-c", SPAWN_WHILE_A_THREAD_RUNS], text=True,
                          capture_output=True, check=True)
    assert done.stdout.split() == ["fork", "spawn"]


FROZEN_AFTER_A_RUN = """
import gc, sys
from belnlp.cli import app
try:
    app(["extract", sys.argv[1], "-o", sys.argv[2], "-q"])
except SystemExit:
    pass
print(gc.get_freeze_count())
"""


def test_a_run_takes_its_pipeline_out_of_the_collectors_sight(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(2))
    done = subprocess.run([sys.executable, "-c", FROZEN_AFTER_A_RUN, str(inputs),
                           str(tmp_path / "out.jsonl")], text=True, capture_output=True,
                          check=True)
    assert int(done.stdout.split()[-1]) > 10_000  # the model's objects, never collected
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) > 2


SPAWNED_RUN = """
import sys
import belnlp.run.parallel
belnlp.run.parallel.start_method = lambda: "spawn"
from belnlp.cli import app
app(["extract", sys.argv[1], "-o", sys.argv[2], "-q", "--n-process", "2", "--batch-size", "2"])
"""


def test_spawned_workers_end_without_a_word_on_stderr(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(6))  # each worker's zone is open at its end
    done = subprocess.run([sys.executable, "-c", SPAWNED_RUN, str(inputs),
                           str(tmp_path / "out.jsonl")], text=True, capture_output=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) > 6


def test_the_article_date_reaches_the_worker_processes(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(0))
    claims_bytes, _ = extract(inputs, tmp_path / "two.jsonl", "--n-process", "2")
    claims = {c["doc_id"]: c for c in map(json.loads, claims_bytes.decode().splitlines())}
    assert "historical" not in claims["dated-2023"]["categories"]
    assert "historical" in claims["dated-2025"]["categories"]


def test_spacy_multiprocessing_in_the_library_gives_the_same_results(nlp):
    articles = [Article(row["id"], row["id"], row["text"], None, {"date": row.get("date")})
                for row in records(6)]
    one = [encode(result) for result in process_articles(articles, nlp, batch_size=2)]
    two = [encode(result) for result in process_articles(articles, nlp, batch_size=2,
                                                         n_process=2)]
    assert two == one
    dated = {r["article"]["doc_id"]: r["claims"][0]["categories"] for r in two[-2:]}
    assert dated == {"dated-2023": [], "dated-2025": ["historical"]}


def test_results_come_out_before_the_input_ends(nlp):
    read = count()

    def endless():
        for k in read:
            yield Article(f"a{k}", "-", f"Belarus signed treaty number {k} with Russia.\n")

    first = next(process_articles(endless(), nlp, batch_size=4))
    assert first.article.doc_id == "a0"
    assert next(read) <= 2 * 4 + 1


def test_worker_processes_use_the_given_alias_table(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(4))
    table = tmp_path / "aliases.jsonl"
    table.write_text('{"actor": "BLR", "kind": "country", "names": ["Belarus"]}\n',
                     encoding="utf-8")
    packaged = extract(inputs, tmp_path / "packaged.jsonl", "--n-process", "2")
    one = extract(inputs, tmp_path / "one.jsonl", "--aliases", str(table))
    two = extract(inputs, tmp_path / "two.jsonl", "--aliases", str(table), "--n-process", "2")
    assert two == one
    assert two != packaged


def test_new_words_do_not_stay_in_the_vocabulary(nlp, monkeypatch):
    monkeypatch.setattr(belnlp.run.workers, "ZONE_DOCUMENTS", 3)  # seven zones for 20 documents
    before = len(nlp.vocab.strings)
    articles = [Article(f"w{k}", "-", f"Belarus signed the Zqx{k}vor accord with Russia.\n")
                for k in range(20)]
    results = list(stream_results(articles, nlp, 4))
    assert [result.article.doc_id for result in results] == [f"w{k}" for k in range(20)]
    assert "Zqx7vor accord" in results[7].claims[0].text
    assert len(nlp.vocab.strings) == before
