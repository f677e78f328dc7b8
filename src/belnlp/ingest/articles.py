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
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
JSONL_META_FIELDS = ("title", "author", "date", "url")

BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)
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
    input_file: str | None = None  # a JSONL record's file and line, for messages
    line: int | None = None
    replaced_bytes: int = 0  # undecodable bytes or NULs decoded as U+FFFD


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not become an article; reported, never fatal to the run."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


def only_articles(items: Iterable[Article | InputError],
                  on_error: Callable[[InputError], None] | None = None) -> Iterator[Article]:
    """The articles of a mixed stream; each InputError goes to `on_error` (if given) instead."""
    for item in items:
        if isinstance(item, InputError):
            if on_error is not None:
                on_error(item)
        else:
            yield item


class DecodeError(ValueError):
    """Raised when bytes are not text in any encoding we can trust."""


def content_id(text: str) -> str:
    """Stable document id derived from the text alone."""
    return "doc-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes to text: BOM first, then strict UTF-8, then charset detection.

    Known binary formats are refused by their signature first: an uncompressed PDF can be
    mostly ASCII and would otherwise pass for text. A file that is UTF-8 up to a bad byte
    is reported as corrupt rather than re-guessed as a legacy encoding, since a guess
    would silently garble the text before it.
    """
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DecodeError(f"binary data ({kind}), not text")
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
            yield from _read_directory(path, set(), ())
        else:
            yield from _read_file(path, printable(given), listed=False)


def printable(name: str) -> str:
    """A path as text that can be written out: undecodable bytes in file names as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_directory(folder: Path, seen: set[str], chain: tuple[str, ...]
                    ) -> Iterator[Article | InputError]:
    """Files with a known suffix below folder: its files in sorted order, then its folders.

    Symbolic links are followed, except to a folder that holds one being read (a loop) or
    one already read through another link. A folder that cannot be listed is reported.
    """
    where = printable(str(folder))
    real = os.path.realpath(folder)
    if any(_holds(real, inner) for inner in chain):
        yield InputError(where, "symlink loop: leads back to a folder being read")
        return
    if real in seen:
        yield InputError(where, "folder already read through another link")
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(where, f"cannot list folder: {exc.strerror or exc}")
        return
    folders = [entry.path for entry in entries if _is_folder(entry)]
    is_folder = set(folders)
    for entry in entries:
        path = Path(entry.path)
        if entry.path not in is_folder and path.suffix.lower() in KNOWN_SUFFIXES:
            yield from _read_file(path, printable(entry.path), listed=True)
    for inner in folders:
        yield from _read_directory(Path(inner), seen, (*chain, real))


def _holds(folder: str, inner: str) -> bool:
    """True when `inner` is `folder` or lies below it (both real paths)."""
    return inner == folder or inner.startswith(folder.rstrip(os.sep) + os.sep)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_file(path: Path, source: str, *, listed: bool) -> Iterator[Article | InputError]:
    """A file's articles; a listed file must be a regular file, since a FIFO would block."""
    try:
        if listed and not stat.S_ISREG(path.stat().st_mode):
            yield InputError(source, "not a regular file (a FIFO, socket or device)")
            return
        data = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            reason = "broken symbolic link"
        elif listed:
            reason = "file vanished before it could be read"
        else:
            reason = "no such file or directory"
        yield InputError(source, reason)
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
    for number, line in enumerate(content.split("\n"), start=1):  # U+2028 is valid in JSON
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
            yield InputError(source, f"'text' must be a string, not {_json_type(text)}", number)
            continue
        if not text.strip():
            yield InputError(source, "empty 'text'", number)
            continue
        broken = next((key for key in ("text", "id", *JSONL_META_FIELDS)
                       if _has_surrogate(record.get(key))), None)
        if broken is not None:
            yield InputError(source, f"'{broken}' holds an unpaired surrogate escape "
                             "(\\ud800-\\udfff), which is not text", number)
            continue
        doc_id = record.get("id")
        doc_id = str(doc_id) if doc_id is not None else content_id(text)
        meta = {key: _as_str(record.get(key)) for key in JSONL_META_FIELDS}
        yield Article(doc_id, _as_str(record.get("url")) or doc_id, text, encoding, meta,
                      input_file=source, line=number)


def _has_surrogate(value: object) -> bool:
    """True for a string that cannot be written as UTF-8 (JSON allows lone \\udXXX escapes)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list",
             dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _as_str(value: object) -> str | None:
    return None if value is None else str(value)
