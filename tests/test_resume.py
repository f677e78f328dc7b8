"""Atomic, resumable output: a killed or interrupted run leaves the previous outputs (or none),
never a torn line, and `--resume` finishes with the bytes of an uninterrupted run."""

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import belnlp.nlp.pipeline
from belnlp.cli import app
from belnlp.run.checkpoint import Checkpoint, journal_path, partial_path

BELNLP = str(Path(sys.executable).with_name("belnlp"))
ACTORS = ["Belarus", "Russia", "Poland", "Lithuania", "Ukraine", "China", "Kazakhstan", "Latvia"]
SENTENCES = [
    "{a} relies heavily on oil and gas from {b}.",
    "In {year}, {a} and {b} signed a treaty on customs and tariffs.",
    "Troops from {a} held exercises near the border with {b}.",
    "{a} may lose its markets in {b} if the sanctions continue.",
    "{b} should stop lending money to {a}.",
]
KILLS = 12
RNG_SEED = 20240611


def write_corpus(folder: Path, n: int, paragraphs: int) -> Path:
    """n short op-eds, each paragraph the five sentences in another order and pairing."""
    folder.mkdir(parents=True)
    for k in range(n):
        body = []
        for p in range(paragraphs):
            a, b = ACTORS[(k + p) % 8], ACTORS[(3 * k + 2 * p + 1) % 8]
            turn = (k + p) % 5
            body.append(" ".join(s.format(a=a, b=b, year=1950 + k + p)
                                 for s in SENTENCES[turn:] + SENTENCES[:turn]))
        text = f"Briefing {k}\n\n" + "\n\n".join(body) + "\n"
        (folder / f"doc-{k:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def read_outputs(out: Path) -> tuple[bytes, bytes]:
    return out.read_bytes(), out.with_name("documents.jsonl").read_bytes()


def whole_lines(data: bytes) -> list[dict]:
    """The complete lines of a file that may end in a torn one; each must be a JSON object."""
    return [json.loads(line) for line in data.split(b"\n")[:-1]]


def journal_entries(out: Path) -> int:
    path = journal_path(out)
    return max(len(whole_lines(path.read_bytes())) - 1, 0) if path.exists() else 0


# --- killed for real: subprocesses ---------------------------------------------------------

@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus") / "in", 40, paragraphs=6)


@pytest.fixture(scope="module")
def reference(big_corpus, tmp_path_factory):
    """An uninterrupted run's outputs, and how long it took."""
    out = tmp_path_factory.mktemp("reference") / "claims.jsonl"
    started = time.monotonic()
    subprocess.run([BELNLP, "extract", str(big_corpus), "-o", str(out), "-q",
                    "--batch-size", "4"], check=True, timeout=600)
    return read_outputs(out), time.monotonic() - started


def test_sigkill_at_random_moments_then_resume(big_corpus, reference, tmp_path):
    """Kill runs (the first a plain run, then --resume runs) until KILLS kills have landed.

    After each kill the outputs are the previous ones or the finished ones, and progress
    never goes back; a run that finishes before its kill is put back to the previous outputs.
    """
    (claims_ref, documents_ref), seconds = reference
    assert len(documents_ref.splitlines()) == 40
    out = tmp_path / "claims.jsonl"
    documents = out.with_name("documents.jsonl")
    previous = (b'{"previous": "claims"}\n', b'{"previous": "documents"}\n')
    out.write_bytes(previous[0])
    documents.write_bytes(previous[1])
    command = [BELNLP, "extract", str(big_corpus), "-o", str(out), "-q", "--batch-size", "4"]
    rng = random.Random(RNG_SEED)
    kills, mid_run, done_before = 0, 0, 0
    for round_ in range(4 * KILLS):
        if kills == KILLS:
            break
        run = subprocess.Popen(command + (["--resume"] if round_ else []),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.1, 1.0) * seconds
        try:
            run.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            run.send_signal(signal.SIGKILL)
            run.wait()
            kills += 1
        where = f"round {round_}, {delay:.2f}s, seed {RNG_SEED}"
        assert out.read_bytes() in (previous[0], claims_ref), where
        assert documents.read_bytes() in (previous[1], documents_ref), where
        for partial in (partial_path(out), partial_path(documents)):
            if partial.exists():
                whole_lines(partial.read_bytes())  # every complete line is a whole record
        if out.read_bytes() == claims_ref:  # finished, or killed after its renames
            assert documents.read_bytes() == documents_ref, where
            out.write_bytes(previous[0])
            documents.write_bytes(previous[1])
            done_before = 0
            continue
        done = journal_entries(out)
        assert done >= done_before, f"{where}: progress went back from {done_before} to {done}"
        mid_run += 0 < done < 40 and done > done_before
        done_before = done
    assert kills == KILLS and mid_run >= 3, f"{kills} kills, {mid_run} mid-run (seed {RNG_SEED})"
    subprocess.run(command + ["--resume"], check=True, timeout=600)
    assert read_outputs(out) == (claims_ref, documents_ref)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl", "documents.jsonl"]


def test_sigint_stops_cleanly_and_resume_finishes(big_corpus, reference, tmp_path):
    (claims_ref, documents_ref), _ = reference
    out = tmp_path / "claims.jsonl"
    command = [BELNLP, "extract", str(big_corpus), "-o", str(out), "-q", "--batch-size", "4"]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while journal_entries(out) < 4 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    run.send_signal(signal.SIGINT)
    stderr = run.communicate(timeout=300)[1]
    assert run.returncode == 130
    [message] = stderr.splitlines()
    done = journal_entries(out)
    assert 4 <= done < 40
    assert message == (f"belnlp: error: interrupted after {done} document(s); run the same "
                       "command with --resume to continue")
    assert not out.exists() and not out.with_name("documents.jsonl").exists()
    subprocess.run(command + ["--resume"], check=True, timeout=600)
    assert read_outputs(out) == (claims_ref, documents_ref)


# --- interrupted in this process -----------------------------------------------------------

@pytest.fixture
def cli(nlp, monkeypatch):
    monkeypatch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)
    return lambda *args: CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("small") / "in", 8, paragraphs=1)


@pytest.fixture(scope="module")
def expected(corpus, nlp, tmp_path_factory):
    out = tmp_path_factory.mktemp("expected") / "claims.jsonl"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(belnlp.nlp.pipeline, "build_nlp", lambda *args, **kwargs: nlp)
        result = CliRunner().invoke(app, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    return read_outputs(out)


def stop_at(monkeypatch, document: int, error: type[BaseException] = KeyboardInterrupt):
    """Make the run stop while writing the given document (1-based), half a line written."""
    write = Checkpoint.write
    calls = []

    def write_then_stop(self, article, claims, record):
        calls.append(article)
        if len(calls) == document:
            handle = self.files["claims"]
            handle.write(json.dumps(claims[0]).encode()[:40])
            handle.flush()
            raise error()
        write(self, article, claims, record)

    monkeypatch.setattr(Checkpoint, "write", write_then_stop)


def test_interrupt_keeps_what_completed_and_resume_finishes(cli, corpus, expected, tmp_path,
                                                            monkeypatch):
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        stop_at(patch, 4)
        result = cli("extract", corpus, "-o", out, "-q")
    assert result.exit_code == 130
    assert result.stderr.splitlines() == [
        "belnlp: error: interrupted after 3 document(s); run the same command with --resume "
        "to continue"]
    assert not out.exists()
    assert journal_entries(out) == 3
    resumed = cli("extract", corpus, "-o", out, "-q", "--resume")
    assert resumed.exit_code == 0, resumed.stderr
    assert read_outputs(out) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl", "documents.jsonl"]


def test_a_crash_keeps_progress_too(cli, corpus, expected, tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        stop_at(patch, 6, RuntimeError)
        assert isinstance(cli("extract", corpus, "-o", out, "-q").exception, RuntimeError)
    assert journal_entries(out) == 5
    assert cli("extract", corpus, "-o", out, "-q", "--resume").exit_code == 0
    assert read_outputs(out) == expected


def test_resume_drops_torn_tails_and_entries_the_files_do_not_back(cli, corpus, expected,
                                                                   tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        stop_at(patch, 7)
        cli("extract", corpus, "-o", out, "-q")
    documents = partial_path(out.with_name("documents.jsonl"))
    data = documents.read_bytes()
    documents.write_bytes(data[:data.rindex(b"\n", 0, len(data) - 1) + 1])  # lose one document
    with journal_path(out).open("ab") as journal:
        journal.write(b'{"source": "x", "doc_id"')  # and tear the journal's last line
    assert cli("extract", corpus, "-o", out, "-q", "--resume").exit_code == 0
    assert read_outputs(out) == expected


def test_resume_refuses_a_journal_of_other_settings(cli, corpus, tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        stop_at(patch, 3)
        cli("extract", corpus, "-o", out, "-q")
    before = partial_path(out).read_bytes()
    result = cli("extract", corpus / "doc-00.txt", "-o", out, "-q", "--resume")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: {journal_path(out)} was written by a run with other inputs, model, "
        "rules or outputs; run without --resume to start over"]
    assert partial_path(out).read_bytes() == before


def test_a_new_run_says_it_discards_an_interrupted_one(cli, corpus, expected, tmp_path,
                                                       monkeypatch):
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        stop_at(patch, 3)
        cli("extract", corpus, "-o", out, "-q")
    result = cli("extract", corpus, "-o", out, "-q")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "belnlp: note: starting over; 2 document(s) of an interrupted run discarded "
        "(--resume continues a run)"]
    assert read_outputs(out) == expected


def test_resume_counts_a_document_given_twice(cli, corpus, tmp_path, monkeypatch):
    once = corpus / "doc-01.txt"
    whole = tmp_path / "whole" / "claims.jsonl"
    whole.parent.mkdir()
    assert cli("extract", once, corpus / "doc-02.txt", once, "-o", whole, "-q").exit_code == 0
    out = tmp_path / "claims.jsonl"
    with monkeypatch.context() as patch:
        stop_at(patch, 2)
        cli("extract", once, corpus / "doc-02.txt", once, "-o", out, "-q")
    assert cli("extract", once, corpus / "doc-02.txt", once, "-o", out, "-q",
               "--resume").exit_code == 0
    assert read_outputs(out) == read_outputs(whole)


def test_resume_needs_an_output_file(cli, corpus):
    result = cli("extract", corpus, "-o", "-", "--resume")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "belnlp: error: --resume needs --output FILE: progress is not kept for claims written "
        "to stdout"]


def test_two_runs_never_write_the_same_output(cli, corpus, tmp_path):
    out = tmp_path / "claims.jsonl"
    fd = os.open(journal_path(out), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running extract holds
    try:
        result = cli("extract", corpus, "-o", out, "-q")
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: another belnlp run is writing {out}; wait for it to finish"]
    assert not out.exists() and not partial_path(out).exists()


def test_outputs_get_the_usual_file_mode(cli, corpus, tmp_path):
    out = tmp_path / "claims.jsonl"
    umask = os.umask(0o022)
    try:
        assert cli("extract", corpus, "-o", out, "-q").exit_code == 0
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644
