"""Reading articles: paths, directories, JSONL and stdin in; decoded `Article`s out.

Every input becomes an `Article` (text plus metadata) or an `InputError` naming the
file, the line where there is one, and the reason, so that a bad file is reported and
the rest of the run goes on. Nothing in an input is ever executed or followed: HTML is
parsed by trafilatura, and paths or URLs inside JSONL records are kept as metadata only.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
JSONL_META_FIELDS = ("title", "author", "date", "url")

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Article:
    """One document: its text (what claim offsets index) and what is known about it."""

    doc_id: str
    source: str
    text: str
    encoding: str | None = None
    meta: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not become an article; reported, never fatal to the run."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


class DecodeError(ValueError):
    """Raised when bytes are not text in any encoding we can trust."""


def content_id(text: str) -> str:
    """Stable document id derived from the text alone."""
    return "doc-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes to text: BOM first, then strict UTF-8, then charset detection.

    A file that is UTF-8 up to a bad byte is reported as corrupt rather than re-guessed
    as a legacy encoding, since a guess would silently garble the text before it.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} at byte {exc.start}") from exc
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if _has_utf8_multibyte(data[: exc.start]):
                line = data.count(b"\n", 0, exc.start) + 1
                raise DecodeError(
                    f"invalid UTF-8 at byte {exc.start} (line {line})"
                ) from exc
    return _detect(data)


def _has_utf8_multibyte(prefix: bytes) -> bool:
    """True when the valid prefix already holds non-ASCII UTF-8, i.e. the file is UTF-8."""
    return any(byte >= 0x80 for byte in prefix)


def _detect(data: bytes) -> tuple[str, str]:
    """Legacy or BOM-less UTF-16 text through charset-normalizer; binary data is refused."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("binary data or unknown encoding")
    encoding = best.encoding
    if b"\x00" in data and not encoding.startswith(("utf_16", "utf_32")):
        raise DecodeError("binary data (NUL bytes)")
    text = str(best)
    if _looks_binary(text):
        raise DecodeError("binary data (control characters)")
    return text, codecs.lookup(encoding).name


def _looks_binary(text: str) -> bool:
    """Many C0 control characters mean the bytes were never text."""
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(2, len(sample) // 100)


def read_articles(inputs: Iterable[str], *, stdin=None) -> Iterator[Article | InputError]:
    """Yield an Article or InputError per document, in input order; directories sorted."""
    for given in inputs:
        if given == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield _from_bytes(stream.read(), "-", ".txt")
            continue
        path = Path(given)
        if path.is_dir():
            yield from _read_directory(path)
        elif not path.exists():
            yield InputError(given, "no such file or directory")
        else:
            yield from _read_file(path, given)


def _read_directory(root: Path) -> Iterator[Article | InputError]:
    """Files with a known suffix below root, recursively, in sorted order; loops skipped."""
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
        real = os.path.realpath(dirpath)
        if real in seen:
            yield InputError(dirpath, "symlink loop: directory already visited")
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix.lower() in KNOWN_SUFFIXES:
                yield from _read_file(path, str(path))


def _read_file(path: Path, source: str) -> Iterator[Article | InputError]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        yield InputError(source, "file vanished before it could be read")
        return
    except OSError as exc:
        yield InputError(source, f"cannot read: {exc.strerror or exc}")
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _from_jsonl(data, source)
    else:
        yield _from_bytes(data, source, suffix)


def _from_bytes(data: bytes, source: str, suffix: str) -> Article | InputError:
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return InputError(source, str(exc))
    meta: dict[str, str | None] = {}
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        extracted = _from_html(text)
        if extracted is None:
            return InputError(source, "no article text found in the HTML")
        text, meta = extracted
    if not text.strip():
        return InputError(source, "empty document (no text)")
    return Article(content_id(text), source, text, encoding, meta)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def _from_html(html: str) -> tuple[str, dict[str, str | None]] | None:
    """Article body and metadata through trafilatura; scripts and styles never run."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    result = document.as_dict() if document is not None else None
    if not result or not (result.get("text") or "").strip():
        return None
    meta = {key: result.get(key) for key in ("title", "author", "date", "url")}
    return result["text"], meta


def _from_jsonl(data: bytes, source: str) -> Iterator[Article | InputError]:
    """One article per JSONL record {id, text, title?, author?, date?, url?}."""
    try:
        content, encoding = decode_bytes(data)
    except DecodeError as exc:
        yield InputError(source, str(exc))
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(source, f"not valid JSON ({exc.msg})", number)
            continue
        if not isinstance(record, dict):
            yield InputError(source, "record is not a JSON object", number)
            continue
        text = record.get("text")
        if text is None:
            yield InputError(source, "record has no 'text' field", number)
            continue
        if not isinstance(text, str):
            yield InputError(source, f"'text' is a {type(text).__name__}, not a string", number)
            continue
        if not text.strip():
            yield InputError(source, "empty 'text'", number)
            continue
        doc_id = record.get("id")
        doc_id = str(doc_id) if doc_id is not None else content_id(text)
        meta = {key: _as_str(record.get(key)) for key in JSONL_META_FIELDS}
        yield Article(doc_id, _as_str(record.get("url")) or doc_id, text, encoding, meta)


def _as_str(value: object) -> str | None:
    return None if value is None else str(value)
