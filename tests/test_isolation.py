"""One document that raises never costs the run: in this process, in worker processes, on Dask.

Failures are injected into a processing stage for documents that hold a marker word. The
documents around them must come out byte-identical to a clean run of the same inputs
without the marked ones; each failure is one stderr line, one error-log record with its
traceback, and a non-zero exit; --fail-fast stops; --resume and --incremental retry.
"""

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import belnlp.run.parallel
import belnlp.run.process
from belnlp.cli import app
from belnlp.records import documents_path_for, schema

from .scale_inputs import records, write

MARKER = "Zorblaxia"  # the stage raises for documents holding this word
BOMB = textwrap.dedent(f"""\
    import belnlp.run.process as process

    real = process.build_claims


    def build_claims(doc, **settings):
        if "{MARKER}" in doc.text:
            raise RuntimeError("injected failure")
        return real(doc, **settings)


    process.build_claims = build_claims
    """)


def rows(marked: bool) -> list[dict]:
    """Twelve documents; with `marked`, two more holding the marker, inside batches of 4."""
    out = records(10)
    if marked:
        out.insert(2, {"id": "bomb-a", "text": f"{MARKER} signed a gas deal with Belarus.\n"})
        out.insert(9, {"id": "bomb-b", "text": f"Belarus relies on {MARKER} for oil.\n"})
    return out


def run(inputs, out, *options):
    result = CliRunner().invoke(app, ["extract", str(inputs), "-o", str(out), "--quiet",
                                      "--batch-size", "4", *options])
    return result


def outputs(out):
    return out.read_bytes(), Path(documents_path_for(str(out))).read_bytes()


@pytest.fixture
def clean(tmp_path):
    """The outputs of a clean run without the marked documents."""
    inputs = write(tmp_path / "clean.jsonl", rows(marked=False))
    result = run(inputs, tmp_path / "clean-claims.jsonl")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "clean-claims.errors.jsonl").exists()
    return outputs(tmp_path / "clean-claims.jsonl")


def plant(tmp_path, monkeypatch, code: str) -> None:
    """Spawned workers (processes, Dask) import `code` at start-up; this process runs it too
    (undone after the test), so that the workers forked from it have it."""
    folder = tmp_path / "bomb"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(code, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.setattr(belnlp.run.process, "build_claims", belnlp.run.process.build_claims)
    exec(code, {})


@pytest.fixture
def bomb_path(tmp_path, monkeypatch):
    plant(tmp_path, monkeypatch, BOMB)


@pytest.fixture(params=["fork", "spawn"])
def start_method(request, monkeypatch):
    """Worker processes forked from this process, or spawned."""
    monkeypatch.setattr(belnlp.run.parallel, "start_method", lambda: request.param)
    return request.param


def inject(monkeypatch, stage="build_claims"):
    real = getattr(belnlp.run.process, stage)

    def failing(value, *args, **settings):
        text = value if isinstance(value, str) else value.text
        if MARKER in text:
            raise RuntimeError("injected failure")
        return real(value, *args, **settings)

    monkeypatch.setattr(belnlp.run.process, stage, failing)


def check_isolated(result, tmp_path, out, clean):
    assert result.exit_code == 1
    assert outputs(out) == clean
    failures = [line for line in result.stderr.splitlines() if "failed: RuntimeError" in line]
    inputs = tmp_path / "marked.jsonl"
    assert failures == [f"belnlp: {inputs}:3: failed: RuntimeError: injected failure",
                        f"belnlp: {inputs}:10: failed: RuntimeError: injected failure"]
    log = out.with_name(out.stem + ".errors.jsonl")
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["doc_id"], r["line"], r["exception"]) for r in logged] == [
        ("failed", "bomb-a", 3, "RuntimeError"), ("failed", "bomb-b", 10, "RuntimeError")]
    assert all("Traceback" in r["traceback"] and "injected failure" in r["traceback"]
               for r in logged)
    for record in logged:
        jsonschema.validate(record, schema("error"))
    assert result.stderr.splitlines()[-1] == (
        f"belnlp: error: 2 document(s) failed; tracebacks in {log}")


@pytest.mark.parametrize("stage", ["build_claims", "analyse"])
def test_a_failing_document_in_this_process_costs_only_itself(tmp_path, monkeypatch, clean,
                                                             stage):
    inject(monkeypatch, stage)  # analyse fails inside nlp.pipe's input, build_claims after
    inputs = write(tmp_path / "marked.jsonl", rows(marked=True))
    out = tmp_path / "claims.jsonl"
    check_isolated(run(inputs, out), tmp_path, out, clean)


def test_a_failing_document_in_a_worker_process_costs_only_itself(tmp_path, bomb_path, clean,
                                                                   start_method):
    inputs = write(tmp_path / "marked.jsonl", rows(marked=True))
    out = tmp_path / "claims.jsonl"
    check_isolated(run(inputs, out, "--n-process", "2"), tmp_path, out, clean)


def test_a_failing_document_on_dask_costs_only_itself(tmp_path, bomb_path, clean):
    distributed = pytest.importorskip("distributed")
    inputs = write(tmp_path / "marked.jsonl", rows(marked=True))
    out = tmp_path / "claims.jsonl"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address="127.0.0.1:0",
                                  silence_logs=logging.ERROR) as cluster:
        result = run(inputs, out, "--dask-scheduler", cluster.scheduler_address)
    check_isolated(result, tmp_path, out, clean)


def test_fail_fast_stops_and_resume_retries_the_failed_document(tmp_path, monkeypatch):
    inputs = write(tmp_path / "marked.jsonl", rows(marked=True))
    reference = run(inputs, tmp_path / "ref.jsonl")
    assert reference.exit_code == 0, reference.output
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        inject(patch)
        stopped = run(inputs, out, "--fail-fast")
    assert stopped.exit_code == 1
    assert "failed: RuntimeError: injected failure" in stopped.stderr
    assert "stopped at the first failed document (--fail-fast)" in stopped.stderr
    assert not out.exists()
    resumed = run(inputs, out, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert outputs(out) == outputs(tmp_path / "ref.jsonl")
    assert not out.with_name("claims.errors.jsonl").exists()  # the stale log is removed


def test_incremental_never_caches_a_failure(tmp_path, monkeypatch):
    inputs = write(tmp_path / "marked.jsonl", rows(marked=True))
    reference = run(inputs, tmp_path / "ref.jsonl")
    assert reference.exit_code == 0, reference.output
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        inject(patch)
        assert run(inputs, out, "--incremental").exit_code == 1
    again = run(inputs, out, "--incremental")
    assert again.exit_code == 0, again.output
    assert outputs(out) == outputs(tmp_path / "ref.jsonl")
    assert b"bomb-a" in outputs(out)[0]


def test_worker_processes_do_not_outlive_a_killed_run(tmp_path):
    psutil = pytest.importorskip("psutil")
    inputs = write(tmp_path / "in.jsonl", records(40))
    out = tmp_path / "claims.jsonl"
    command = [str(Path(sys.executable).with_name("belnlp")), "extract", str(inputs), "-o",
               str(out), "--quiet", "--n-process", "2", "--batch-size", "2"]
    run_ = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = tmp_path / ".claims.jsonl.progress"
    workers = []
    try:
        deadline = time.monotonic() + 300
        while not (journal.exists() and journal.read_bytes().count(b"\n") > 2):
            assert run_.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        workers = psutil.Process(run_.pid).children(recursive=True)
        assert len(workers) >= 2
        run_.kill()
        run_.wait()
        _, alive = psutil.wait_procs(workers, timeout=30)
        assert alive == []
    finally:
        run_.kill()
        run_.wait()
        for worker in workers:
            if worker.is_running():
                worker.kill()


def test_a_worker_that_dies_stops_the_run_with_one_line_and_resume_finishes(tmp_path,
                                                                           monkeypatch,
                                                                           start_method):
    inputs = write(tmp_path / "marked.jsonl", rows(marked=True))
    reference = run(inputs, tmp_path / "ref.jsonl")
    assert reference.exit_code == 0, reference.output
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        plant(tmp_path, patch, BOMB.replace('raise RuntimeError("injected failure")',
                                            "import os; os._exit(3)"))
        died = run(inputs, out, "--n-process", "2")
    assert died.exit_code == 1
    assert died.stderr.splitlines() == [
        "belnlp: error: a worker process died (killed, out of memory or a crash); run the "
        "same command with --resume to continue"]
    resumed = run(inputs, out, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert outputs(out) == outputs(tmp_path / "ref.jsonl")
