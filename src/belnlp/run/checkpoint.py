"""Atomic, resumable run output: partial files beside the outputs and a progress journal.

Each output file `NAME` is written as `.NAME.partial` in its folder. After a document's lines
are written and flushed, one line naming the document and the partial files' sizes is
appended to the journal `.CLAIMS.progress` beside the claims file. A run that is killed
therefore leaves the previous outputs untouched, and a journal that `--resume` trusts up to
its last whole entry whose sizes the partial files still reach: the partial files are cut
back to those sizes (dropping a torn line or a half-written document), the documents it
names are skipped, and the run goes on. Commit fsyncs the partial files, renames them into
place (documents first, claims last) and removes the journal. A kill between the renames
leaves a journal the missing partial files no longer back, so `--resume` redoes the run.

A write that fails (a full disk, an I/O error, a read-only filesystem) raises CheckpointError
"cannot write PATH: REASON" naming the output: the journal never lists a document whose
lines did not all reach the partial files, so `--resume` goes on from the last whole one.

Lines are flushed to the operating system per document but not fsynced: that survives any
end of the process (SIGKILL included) at no measurable cost; only a power cut or kernel
crash can lose documents completed since the last commit, and `--resume` redoes them.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from belnlp.ingest.articles import Article, InputError
from belnlp.records import dumps

JOURNAL_SCHEMA = "belnlp.progress/1"
Entries = list[tuple[dict[str, Any], int]]  # journal entries, each with the length up to its end
ROLES = ("documents", "claims")  # rename order: the claims file appears last


class CheckpointError(RuntimeError):
    """The outputs cannot be started or resumed; the message says why and what to do."""


def partial_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}.partial")


def journal_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}.progress")


class Checkpoint:
    """The claims and documents outputs of one `extract` run, written document by document.

    `settings` is what decides the output besides the inputs' content (inputs, model, rules,
    output paths); `--resume` refuses a journal written with other settings. Claims on
    stdout ("-") are written straight out, with no journal and so no resume.
    """

    def __init__(self, claims: str, documents: str | None, settings: dict[str, Any], *,
                 resume: bool) -> None:
        self.paths = {role: Path(path) for role, path in (("claims", claims),
                                                          ("documents", documents))
                      if path is not None and path != "-"}
        self.stdout = sys.stdout if claims == "-" else None
        self.settings = settings
        self.sizes = dict.fromkeys(self.paths, 0)
        self.files: dict[str, IO[bytes]] = {}
        self.completed: Counter[tuple[str, str]] = Counter()
        self.done = 0
        self.discarded = 0
        self.journal: IO[bytes] | None = None
        if self.stdout is not None:
            if resume:
                raise CheckpointError("--resume needs --output FILE: progress is not kept "
                                      "for claims written to stdout")
            self._start()
            return
        self.journal = _open_locked(journal_path(claims), claims)
        found = self._read_journal()
        if resume and found is not None:
            self._resume(*found)
        else:
            self.discarded = len(found[2]) if found is not None else 0
            self._start()

    def pending(self, items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
        """The items still to do: articles the journal lists as written are skipped."""
        for item in items:
            if isinstance(item, Article):
                key = (item.source, item.doc_id)
                if self.completed[key] > 0:
                    self.completed[key] -= 1
                    continue
            yield item

    def write(self, article: Article, claims: list[dict[str, Any]],
              document: dict[str, Any] | None) -> None:
        """Append one document's claim lines and document line, then journal the document."""
        lines = {"claims": claims, "documents": [document] if document is not None else []}
        for role, records in lines.items():
            text = "".join(dumps(record) + "\n" for record in records)
            if role == "claims" and self.stdout is not None:
                self.stdout.write(text)
                self.stdout.flush()
            elif role in self.files:
                data = text.encode("utf-8")
                with writing(self.paths[role]):
                    self.files[role].write(data)
                    self.files[role].flush()
                self.sizes[role] += len(data)
        if self.journal is not None:
            with writing(self.paths["claims"]):
                self._append({"source": article.source, "doc_id": article.doc_id,
                              **self.sizes})
        self.done += 1

    def commit(self) -> None:
        """Make the outputs whole: fsync, rename into place, drop the journal."""
        for role, handle in self.files.items():
            with writing(self.paths[role]):
                handle.flush()
                os.fsync(handle.fileno())
        self._close_files()
        for role in ROLES:
            if role in self.paths:
                with writing(self.paths[role]):
                    os.replace(partial_path(self.paths[role]), self.paths[role])
        for path in self.paths.values():
            with writing(path):
                _fsync_folder(path.resolve().parent)
        if self.journal is not None:
            journal_path(self.paths["claims"]).unlink(missing_ok=True)
            self.journal.close()
            self.journal = None

    def close(self) -> None:
        """Stop without committing: progress stays for --resume (or is removed, on stdout).

        Never raises: after a failed write, closing may fail to flush what the journal does
        not list anyway.
        """
        self._close_files()
        if self.journal is not None:
            try:
                self.journal.close()
            except OSError:
                pass
            self.journal = None
        else:
            for path in self.paths.values():
                partial_path(path).unlink(missing_ok=True)

    def _close_files(self) -> None:
        for handle in self.files.values():
            try:
                handle.close()
            except OSError:
                pass
        self.files.clear()

    def _start(self) -> None:
        """Fresh partial files (never following a planted symlink) and a new journal."""
        for role, path in self.paths.items():
            partial = partial_path(path)
            partial.unlink(missing_ok=True)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
            self.files[role] = os.fdopen(fd, "wb")
        if self.journal is not None:
            with writing(self.paths["claims"]):
                self.journal.seek(0)
                self.journal.truncate()
                self._append({"journal": JOURNAL_SCHEMA, "settings": self.settings})

    def _read_journal(self) -> tuple[dict[str, Any], int, Entries] | None:
        """The header, the length of its line, and the whole entries after it.

        None when there is no usable header. A torn last line has no newline and is left out;
        so is everything from the first line that is not a JSON object.
        """
        assert self.journal is not None
        self.journal.seek(0)
        lines = self.journal.read().split(b"\n")[:-1]
        header = _parse(lines[0]) if lines else None
        if header is None or header.get("journal") != JOURNAL_SCHEMA:
            return None
        end = len(lines[0]) + 1
        entries = []
        for line in lines[1:]:
            entry = _parse(line)
            if entry is None:
                break
            end += len(line) + 1
            entries.append((entry, end))
        return header, len(lines[0]) + 1, entries

    def _resume(self, header: dict[str, Any], length: int, entries: Entries) -> None:
        """Keep the entries the partial files back, cut files and journal to them, reopen."""
        assert self.journal is not None
        if header.get("settings") != self.settings:
            raise CheckpointError(
                f"{journal_path(self.paths['claims'])} was written by a run with other "
                "inputs, model, rules or outputs; run without --resume to start over")
        actual = {role: _size(partial_path(path)) for role, path in self.paths.items()}
        for entry, end in entries:
            named = isinstance(entry.get("source"), str) and isinstance(entry.get("doc_id"), str)
            if not named or not all(isinstance(entry.get(role), int)
                                    and entry[role] <= actual[role] for role in self.paths):
                break
            self.sizes = {role: entry[role] for role in self.paths}
            self.completed[(entry["source"], entry["doc_id"])] += 1
            self.done += 1
            length = end
        self.journal.truncate(length)
        self.journal.seek(0, os.SEEK_END)
        for role, path in self.paths.items():
            fd = os.open(partial_path(path), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
            handle = os.fdopen(fd, "r+b")
            handle.truncate(self.sizes[role])
            handle.seek(0, os.SEEK_END)
            self.files[role] = handle

    def _append(self, entry: dict[str, Any]) -> None:
        assert self.journal is not None
        self.journal.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        self.journal.flush()


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """OSError while writing `path` → CheckpointError "cannot write PATH: REASON"."""
    try:
        yield
    except OSError as exc:
        raise CheckpointError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _open_locked(path: Path, claims: str) -> IO[bytes]:
    """The journal, opened for update and locked so that two runs never share an output."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise CheckpointError(f"another belnlp run is writing {claims}; "
                              "wait for it to finish") from None
    return os.fdopen(fd, "r+b")


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _fsync_folder(folder: Path) -> None:
    """Make renames in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
