"""A full disk or an I/O error on the outputs: one clear line, the previous outputs untouched,
a journal that `--resume` trusts, and a resumed run that completes once the disk is fixed.

The full disk is real where the machine allows it (a small tmpfs mounted as root, filled by
the run itself); elsewhere the errors are injected OSErrors.
"""

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import belnlp.run.checkpoint
from belnlp.cli import app
from belnlp.records import documents_path_for
from belnlp.run.checkpoint import journal_path, partial_path

from .scale_inputs import records, write


def run(inputs, out, *options):
    return CliRunner().invoke(app, ["extract", str(inputs), "-o", str(out), "--quiet",
                                    "--batch-size", "4", *options])


def outputs(out: Path) -> tuple[bytes, bytes]:
    return out.read_bytes(), Path(documents_path_for(str(out))).read_bytes()


@pytest.fixture
def corpus(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(16))
    (tmp_path / "ref").mkdir()
    result = run(inputs, tmp_path / "ref" / "claims.jsonl")
    assert result.exit_code == 0, result.output
    return inputs, outputs(tmp_path / "ref" / "claims.jsonl")


def previous_run(inputs: Path, out: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    """Earlier outputs at `out`, from a run over the first record only."""
    first = tmp_path / "first.jsonl"
    first.write_text(inputs.read_text(encoding="utf-8").splitlines()[0] + "\n",
                     encoding="utf-8")
    assert run(first, out).exit_code == 0
    return outputs(out)


def check_journal(out: Path) -> int:
    """The journal's entries are backed by the partial files; returns how many there are."""
    lines = journal_path(out).read_bytes().split(b"\n")
    entries = [json.loads(line) for line in lines[1:] if line.endswith(b"}")]
    sizes = {"claims": partial_path(out).stat().st_size,
             "documents": partial_path(documents_path_for(str(out))).stat().st_size}
    assert all(entry[role] <= sizes[role] for entry in entries for role in sizes)
    return len(entries)


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of 96 KiB, or a skip where this process may not mount one."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(folder)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_real_full_disk_then_resume(tmp_path, corpus, small_disk):
    inputs, reference = corpus
    assert sum(map(len, reference)) > 2 * 96 * 1024  # the run cannot fit
    out = small_disk / "claims.jsonl"
    before = previous_run(inputs, out, tmp_path)
    result = run(inputs, out)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("belnlp: error: cannot write ")
    assert ": No space left on device; free space" in line
    assert outputs(out) == before
    assert 0 < check_journal(out) < 18
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    resumed = run(inputs, out, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert outputs(out) == reference


class FailingFile:
    """A partial file whose writes fail with `code` once `budget` bytes have been written."""

    def __init__(self, handle, budget: int, code: int) -> None:
        self.handle, self.budget, self.code = handle, budget, code

    def write(self, data: bytes) -> int:
        if len(data) > self.budget:
            self.budget = 0
            raise OSError(self.code, os.strerror(self.code))
        self.budget -= len(data)
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_an_injected_write_error_then_resume(tmp_path, corpus, monkeypatch, code):
    inputs, reference = corpus
    out = tmp_path / "claims.jsonl"
    before = previous_run(inputs, out, tmp_path)
    real = os.fdopen
    budget = len(reference[1]) // 2

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real(fd, mode, *args, **kwargs)
        name = os.readlink(f"/proc/self/fd/{fd}")
        return FailingFile(handle, budget, code) if name.endswith(".documents.jsonl.partial") \
            else handle

    with monkeypatch.context() as patch:
        patch.setattr(belnlp.run.checkpoint.os, "fdopen", fdopen)
        result = run(inputs, out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"belnlp: error: cannot write {documents_path_for(str(out))}: {os.strerror(code)}; "
        "free space (or fix the output) and run the same command with --resume to continue"]
    assert outputs(out) == before
    assert 0 < check_journal(out) < 18
    resumed = run(inputs, out, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert outputs(out) == reference


def test_a_read_only_filesystem_at_commit_then_resume(tmp_path, corpus, monkeypatch):
    inputs, reference = corpus
    out = tmp_path / "claims.jsonl"
    before = previous_run(inputs, out, tmp_path)

    def replace(source, target):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    with monkeypatch.context() as patch:
        patch.setattr(belnlp.run.checkpoint.os, "replace", replace)
        result = run(inputs, out)
    assert result.exit_code == 1
    assert f"cannot write {documents_path_for(str(out))}: Read-only file system" in \
        result.stderr
    assert outputs(out) == before
    assert check_journal(out) == 18
    resumed = run(inputs, out, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert outputs(out) == reference
