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
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import BinaryIO, NamedTuple

from belnlp.ingest.plausible import implausible

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
JSONL_META_FIELDS = ("title", "author", "date", "url")
CHUNK_BYTES = 1 << 16  # JSONL is read in pieces of this size
MAX_REPLACED_SHARE = 0.001  # of a file's bytes: undecodable bytes and NULs a text may hold

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


class Decoded(NamedTuple):
    """Decoded text, the encoding used, and how many bytes became U+FFFD."""

    text: str
    encoding: str
    replaced_bytes: int = 0


def decode_bytes(data: bytes) -> Decoded:
    """Decode bytes to text: BOM first, then UTF-8, then charset detection.

    Known binary formats are refused by their signature first: an uncompressed PDF can be
    mostly ASCII and would otherwise pass for text. A near-clean text, whose undecodable
    bytes and stray NULs are at most MAX_REPLACED_SHARE of its bytes, is decoded with
    U+FFFD in their place (one per NUL, one per undecodable sequence), as a browser shows
    it. A file that is UTF-8 up to more bad bytes than that is reported as corrupt rather
    than re-guessed as a legacy encoding, since a guess would silently garble the text.
    """
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DecodeError(f"binary data ({kind}), not text")
    limit = MAX_REPLACED_SHARE * len(data)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text, replaced = _replacing(data, encoding)
            if replaced > limit:
                raise DecodeError(f"invalid {encoding}: {replaced} undecodable byte(s)")
            return Decoded(text, encoding.replace("-sig", ""), replaced)
    nuls = data.count(b"\x00")
    if nuls <= limit:  # none, or stray NULs: UTF-16 text has a NUL in every other byte
        try:
            return _without_nuls(data.decode("utf-8"), "utf-8", nuls)
        except UnicodeDecodeError as exc:
            text, replaced = _replacing(data, "utf-8")
            if replaced + nuls <= limit and _has_utf8_multibyte(text.replace("\ufffd", "")):
                return _without_nuls(text, "utf-8", nuls + replaced)
            if _has_utf8_multibyte(data[: exc.start]):
                line = data.count(b"\n", 0, exc.start) + 1
                raise DecodeError(
                    f"invalid UTF-8 at byte {exc.start} (line {line}); {replaced} undecodable "
                    f"byte(s) in all, more than {MAX_REPLACED_SHARE:.1%} of the file"
                ) from exc
        if nuls:
            encoding = _detect(data.replace(b"\x00", b""))[1]
            text, replaced = _replacing(data, encoding)
            return _without_nuls(text, encoding, nuls + replaced)
    return Decoded(*_detect(data))


def _without_nuls(text: str, encoding: str, replaced: int) -> Decoded:
    return Decoded(text.replace("\x00", "\ufffd"), encoding, replaced)


_REPLACED = threading.local()


def _count_replaced(exc: UnicodeDecodeError) -> tuple[str, int]:
    _REPLACED.count += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("belnlp-count-replaced", _count_replaced)


def _replacing(data: bytes, encoding: str) -> tuple[str, int]:
    """`data` decoded with U+FFFD for each undecodable sequence, and the bytes replaced."""
    _REPLACED.count = 0
    text = data.decode(encoding, errors="belnlp-count-replaced")
    return text, _REPLACED.count


def _has_utf8_multibyte(valid: bytes | str) -> bool:
    """True when validly decoded UTF-8 holds non-ASCII characters, i.e. the file is UTF-8."""
    return not valid.isascii()


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


def with_fallback_date(items: Iterable[Article | InputError], day: str | None
                       ) -> Iterator[Article | InputError]:
    """Articles that carry `day` (extract --date) for use when they give no date of their own."""
    for item in items:
        if day is not None and isinstance(item, Article):
            item = replace(item, meta={**item.meta, "fallback_date": day})
        yield item


def read_articles(inputs: Iterable[str], *, stdin=None) -> Iterator[Article | InputError]:
    """Yield an Article or InputError per document, in input order; directories sorted."""
    for given in inputs:
        if given == "-":
            yield from _from_stdin(stdin if stdin is not None else sys.stdin.buffer)
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
    """A file's articles; a listed file must be a regular file, since a FIFO would block.

    A JSONL file is read as a stream of records; other files are read whole.
    """
    suffix = path.suffix.lower()
    try:
        if listed and not stat.S_ISREG(path.stat().st_mode):
            yield InputError(source, "not a regular file (a FIFO, socket or device)")
            return
        if suffix in JSONL_SUFFIXES:
            stream = path.open("rb")
        else:
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
    if suffix in JSONL_SUFFIXES:
        with stream:
            yield from _from_jsonl(_chunks(stream), source)
    else:
        yield _from_bytes(data, source, suffix)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    """What the stream has, up to CHUNK_BYTES at a time: a pipe's records come as they are
    written, not once CHUNK_BYTES have arrived."""
    return iter(partial(stream.read1, CHUNK_BYTES), b"")


def _from_stdin(stream: BinaryIO) -> Iterator[Article | InputError]:
    """Stdin is a JSONL feed, streamed record by record, when its first line is a JSON object;
    otherwise it is one document."""
    first = stream.readline()
    if _is_json_object(first):
        yield from _from_jsonl(chain([first], _chunks(stream)), "-")
    else:
        yield _from_bytes(first + stream.read(), "-", ".txt")


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8-sig")), dict)
    except ValueError:
        return False


def _from_bytes(data: bytes, source: str, suffix: str) -> Article | InputError:
    try:
        text, encoding, replaced = decode_bytes(data)
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
    reason = implausible(text)
    if reason is not None:
        return InputError(source, reason)
    return Article(content_id(text), source, text, encoding, meta, replaced_bytes=replaced)


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


def _from_jsonl(chunks: Iterable[bytes], source: str) -> Iterator[Article | InputError]:
    """One article per JSONL record {id, text, title?, author?, date?, url?}, line by line.

    The encoding is decided from the first chunk; each line is decoded on its own (UTF-16
    and UTF-32 incrementally), so a bad line is reported by its number and the records
    around it are read. A read error ends the file with one error at the line it reached.
    """
    chunks = iter(chunks)
    head = next(chunks, b"")
    try:
        encoding = _jsonl_encoding(head)
    except DecodeError as exc:
        yield InputError(source, str(exc))
        return
    number = 0
    try:
        for number, line in enumerate(_decoded_lines(chain([head], chunks), encoding), start=1):
            if isinstance(line, UnicodeDecodeError):
                yield InputError(source, f"not valid {encoding} (byte {line.start} of the line)",
                                 number)
            elif line.strip():
                yield _jsonl_record(line, source, number, encoding.replace("-sig", ""))
    except UnicodeDecodeError:
        yield InputError(source, f"not valid {encoding} from this line on", number + 1)
    except OSError as exc:
        yield InputError(source, f"cannot read: {exc.strerror or exc}", number + 1)


def _jsonl_encoding(head: bytes) -> str:
    """The encoding of a JSONL file from its first bytes: a BOM, else UTF-8, which JSON
    prescribes, unless no non-ASCII line of the head is UTF-8 and several are not (a legacy
    code page, detected); a single bad line is reported as such."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    whole = head[: head.rfind(b"\n") + 1] or head  # no character cut at the end
    if b"\x00" not in whole:
        valid = failed = 0
        for line in whole.split(b"\n"):
            if not line.isascii():
                try:
                    line.decode("utf-8")
                    valid += 1
                except UnicodeDecodeError:
                    failed += 1
        if valid or failed <= 1:
            return "utf-8"
    return _detect(whole)[1]


def _decoded_lines(chunks: Iterable[bytes], encoding: str
                   ) -> Iterator[str | UnicodeDecodeError]:
    """The lines of a stream (split at "\n" only: U+2028 is valid inside JSON strings),
    each decoded on its own, so that a bad line costs only itself."""
    if encoding.startswith(("utf-16", "utf-32")):
        lines, encoding = _wide_lines(chunks, encoding)
    else:
        lines = _split(chunks, b"\n")
    for line in lines:
        try:
            yield line.decode(encoding)
        except UnicodeDecodeError as exc:
            yield exc


def _wide_lines(chunks: Iterable[bytes], encoding: str) -> tuple[Iterator[bytes], str]:
    """The byte lines of a UTF-16 or UTF-32 stream and the encoding, with its byte order,
    that decodes each line."""
    chunks = iter(chunks)
    head = b""
    while len(head) < 4 and (piece := next(chunks, None)) is not None:
        head += piece  # enough for any BOM
    if encoding in ("utf-16", "utf-32"):  # a BOM gives the byte order; it is no line's
        for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE,
                          "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
            if name.startswith(encoding) and head.startswith(bom):
                head, encoding = head[len(bom):], name
                break
    return _split(chain([head], chunks), "\n".encode(encoding)), encoding


def _split(pieces: Iterable[bytes], separator: bytes) -> Iterator[bytes]:
    """The lines of a stream of pieces, cut at `separator` where it starts on a multiple of
    its length (a UTF-16 "\n" is two bytes that also occur across two characters); a long
    line is joined once, not copied per piece."""
    unit = len(separator)
    parts: list[bytes] = []
    carry = b""
    for piece in pieces:
        piece = carry + piece
        cut = len(piece) - len(piece) % unit  # every piece starts on a unit boundary
        piece, carry = piece[:cut], piece[cut:]
        start = search = 0
        while (end := piece.find(separator, search)) != -1:
            if end % unit:  # across two characters: search on from the next unit
                search = end + unit - end % unit
                continue
            parts.append(piece[start:end])
            yield b"".join(parts)
            parts = []
            start = search = end + unit
        if start < len(piece):
            parts.append(piece[start:])
    if carry:
        parts.append(carry)
    if parts:
        yield b"".join(parts)


def _jsonl_record(line: str, source: str, number: int, encoding: str) -> Article | InputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(source, f"not valid JSON ({exc.msg})", number)
    if not isinstance(record, dict):
        return InputError(source, "record is not a JSON object", number)
    text = record.get("text")
    if text is None:
        return InputError(source, "record has no 'text' field", number)
    if not isinstance(text, str):
        return InputError(source, f"'text' must be a string, not {_json_type(text)}", number)
    if not text.strip():
        return InputError(source, "empty 'text'", number)
    broken = next((key for key in ("text", "id", *JSONL_META_FIELDS)
                   if _has_surrogate(record.get(key))), None)
    if broken is not None:
        return InputError(source, f"'{broken}' holds an unpaired surrogate escape "
                          "(\\ud800-\\udfff), which is not text", number)
    reason = implausible(text)
    if reason is not None:
        return InputError(source, reason, number)
    doc_id = record.get("id")
    doc_id = str(doc_id) if doc_id is not None else content_id(text)
    meta = {key: _as_str(record.get(key)) for key in JSONL_META_FIELDS}
    return Article(doc_id, _as_str(record.get("url")) or doc_id, text, encoding, meta,
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
