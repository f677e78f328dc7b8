"""Per-document fault isolation: a document whose processing raises becomes a `Failure`.

A failure is reported on one line, logged with its traceback in the error log beside the
outputs, and never written, journaled or cached, so `--resume` and `--incremental` retry it.
The other documents are unaffected: a batch that raises is redone one document at a time
(process.py), and a document's records do not depend on the batch it was parsed in.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from belnlp.ingest.articles import Article, InputError
from belnlp.records import dumps
from belnlp.run.checkpoint import writing

if TYPE_CHECKING:
    from belnlp.run.result import Result

ERROR_SCHEMA = "belnlp.error/1"


@dataclass(frozen=True, slots=True)
class Failure:
    """One document whose processing raised: the article, the exception and its traceback."""

    article: Article
    exception: str  # the exception's type name
    message: str
    traceback: str

    def __str__(self) -> str:
        return f"{where(self.article)}: failed: {self.exception}: {self.message}"

    def record(self) -> dict[str, Any]:
        """The error log's record of this failure."""
        return {"schema": ERROR_SCHEMA, "kind": "failed", "source": self.article.source,
                "file": self.article.input_file, "line": self.article.line,
                "doc_id": self.article.doc_id,
                "exception": self.exception, "message": self.message,
                "traceback": self.traceback}


class WorkerDied(RuntimeError):
    """A worker process ended abruptly (killed, out of memory, a crash in C code): the run
    stops, its progress kept for --resume."""


def where(article: Article) -> str:
    """The article's source, or the file and line of a JSONL record."""
    return f"{article.input_file}:{article.line}" if article.line else article.source


def failure(article: Article, exc: BaseException) -> Failure:
    """The Failure of `article` from the exception being handled."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return Failure(article, type(exc).__name__, message,
                   "".join(traceback.format_exception(exc)))


def input_record(error: InputError) -> dict[str, Any]:
    """The error log's record of an input that could not be read as an article."""
    return {"schema": ERROR_SCHEMA, "kind": "input", "source": error.source,
            "file": error.source, "line": error.line, "doc_id": None, "exception": None,
            "message": error.reason, "traceback": None}


def encode_failure(item: Failure) -> dict[str, Any]:
    """A JSON-ready form of a failure (for Dask partitions)."""
    return {"failure": {**asdict(item), "article": asdict(item.article)}}


def decode_failure(payload: dict[str, Any]) -> Failure:
    fields = payload["failure"]
    return Failure(**{**fields, "article": Article(**fields["article"])})


def errors_path_for(claims: str) -> Path | None:
    """The error log beside the claims file: X.jsonl → X.errors.jsonl (none for stdout)."""
    if claims == "-":
        return None
    path = Path(claims)
    return path.with_name(f"{path.stem}.errors.jsonl")


class ErrorLog:
    """The error log of one run, written to `.NAME.partial` beside it and renamed into place
    at the end (a killed run leaves only that partial file, which the next run replaces).

    It describes the latest run: a run without errors removes an older log, and since a
    resumed run retries every failed document, its log lists those that still fail.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: IO[bytes] | None = None
        self.count = 0

    def add(self, record: dict[str, Any]) -> None:
        if self.path is None:
            return
        with writing(self.path):
            self._add(record)

    def _add(self, record: dict[str, Any]) -> None:
        if self.handle is None:
            fd = os.open(self._partial(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW,
                         0o666)
            self.handle = os.fdopen(fd, "wb")
        self.handle.write((dumps(record) + "\n").encode("utf-8"))
        self.handle.flush()
        self.count += 1

    def commit(self) -> None:
        """Rename the log into place, or remove an older one when this run had no errors."""
        if self.path is None:
            return
        with writing(self.path):
            self._commit()

    def _commit(self) -> None:
        assert self.path is not None
        if self.handle is not None:
            os.fsync(self.handle.fileno())
            self.handle.close()
            self.handle = None
            os.replace(self._partial(), self.path)
        else:
            self.path.unlink(missing_ok=True)
            self._partial().unlink(missing_ok=True)

    def abort(self) -> None:
        """Stop without touching the previous log."""
        if self.handle is not None:
            try:
                self.handle.close()
            except OSError:
                pass
            self.handle = None
            self._partial().unlink(missing_ok=True)

    def _partial(self) -> Path:
        assert self.path is not None
        return self.path.with_name(f".{self.path.name}.partial")


EMPTY_WARNING_CHARS = 1000  # a text this long with no claim at all is worth a look


def warnings(result: Result) -> list[str]:
    """Warnings about a processed document that is written nonetheless."""
    article, lines = result.article, []
    if article.replaced_bytes:
        lines.append(f"{where(article)}: {article.replaced_bytes} undecodable byte(s) "
                     "replaced with U+FFFD")
    if not result.claims and len(article.text) >= EMPTY_WARNING_CHARS:
        lines.append(f"{where(article)}: no claims in {len(article.text)} characters of text")
    return lines
