"""Claim and document records (spec §5): their shape, JSON Schemas, and atomic JSONL output.

Records are plain dicts with a fixed key order so that the same input gives byte-identical
lines. Files are written to a temporary sibling and renamed into place, so a crash leaves
the previous file or none, never a torn one.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import jsonlines

CLAIM_SCHEMA = "belnlp.claim/1"
DOCUMENT_SCHEMA = "belnlp.document/1"


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim sentence with everything the rules and the parse found in it."""

    claim_id: str
    doc_id: str
    source: str
    title: str | None
    text: str
    start: int
    end: int
    categories: list[str]
    evidence: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    modality: str
    provenance: dict[str, str]
    #: Anaphors and their antecedents (extract/references.py).
    references: list[dict[str, Any]] = field(default_factory=list)
    #: Time frame and anchors (extract/time.py).
    time: dict[str, Any] | None = None
    attribution: dict[str, Any] | None = None  # who says it (nlp/extract/attribution.py)

    def to_record(self) -> dict[str, Any]:
        return {
            "schema": CLAIM_SCHEMA,
            "claim_id": self.claim_id,
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "categories": self.categories,
            "evidence": self.evidence,
            "entities": self.entities,
            "relations": self.relations,
            "references": self.references,
            "modality": self.modality,
            "time": self.time,
            "attribution": self.attribution,
            "provenance": self.provenance,
        }


def document_record(article, structure, n_claims: int, provenance: dict[str, str]
                    ) -> dict[str, Any]:
    """The document record: metadata, layout findings and the text that offsets index."""
    return {
        "schema": DOCUMENT_SCHEMA,
        "doc_id": article.doc_id,
        "source": article.source,
        "title": structure.title,
        "subtitle": structure.subtitle,
        "author": structure.author,
        "date": structure.date,
        "date_source": structure.date_source,
        "url": article.meta.get("url"),
        "encoding": article.encoding,
        **({"replaced_bytes": article.replaced_bytes} if article.replaced_bytes else {}),
        "n_claims": n_claims,
        "furniture": [
            {"kind": kind, "start": start, "end": end} for start, end, kind in structure.furniture
        ],
        "text": article.text,
        "provenance": provenance,
    }


def dumps(record: dict[str, Any]) -> str:
    """One JSONL line (without the newline); UTF-8 text kept readable.

    The line breaks that JSON leaves unescaped (U+0085, U+2028, U+2029) are escaped, so a
    reader that splits on every line break (str.splitlines) still sees one record per line.
    """
    line = json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    if "\x85" in line or "\u2028" in line or "\u2029" in line:
        line = line.replace("\x85", "\\u0085").replace("\u2028", "\\u2028")
        line = line.replace("\u2029", "\\u2029")
    return line


@cache
def schema(name: str) -> dict[str, Any]:
    """A packaged JSON Schema: 'claim', 'document', 'error' or 'gold'."""
    path = resources.files("belnlp") / "data" / "schemas" / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def documents_path_for(claims_path: str) -> str | None:
    """The sibling documents file of a claims file (None for stdout)."""
    if claims_path == "-":
        return None
    path = Path(claims_path)
    if path.name == "claims.jsonl":
        return str(path.with_name("documents.jsonl"))
    return str(path.with_name(path.name.removesuffix(".jsonl") + ".documents.jsonl"))


def check_writable(path: str | None) -> None:
    """Fail before any processing when an output cannot be written."""
    if path is None or path == "-":
        return
    if Path(path).is_dir():
        raise OSError(f"{path}: is a directory, not a file")
    if Path(path).exists() and not Path(path).is_file():
        # Outputs are renamed into place, which would replace a device or FIFO (/dev/null).
        raise OSError(f"{path}: not a regular file; outputs are written as files "
                      "(use - for standard output)")
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise OSError(f"{path}: output directory {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OSError(f"{path}: output directory {folder} is not writable")


def new_file_mode() -> int:
    """The mode open() would give a new file; mkstemp's temporary files are owner-only."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicWriter:
    """Writes lines to a temporary file beside `path` and renames it into place on commit.

    `path` "-" writes straight to stdout. Without commit (an exception, a kill) the temporary
    file is removed and whatever was at `path` before stays untouched.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.tmp: str | None = None
        self.handle: IO[str]
        if path == "-":
            self.handle = sys.stdout
            self.lines = jsonlines.Writer(self.handle, dumps=dumps, flush=False)
            return
        folder = os.path.dirname(os.path.abspath(path))
        fd, self.tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                                        dir=folder)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self.lines = jsonlines.Writer(self.handle, dumps=dumps, flush=False)

    def write(self, record: dict[str, Any]) -> None:
        self.lines.write(record)

    def commit(self) -> None:
        if self.tmp is None:
            self.handle.flush()
            return
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, new_file_mode())
        os.replace(self.tmp, self.path)
        self.tmp = None

    def abort(self) -> None:
        if self.tmp is None:
            return
        self.handle.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass
        self.tmp = None

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
