"""Document structure of a plain-text article: title, standfirst, byline, body, furniture.

Scraped articles carry a title and standfirst above the body and page furniture below it
(author bios, comment forms, teasers, share prompts, stamps). None of that is a claim.
The cues are general facts about page layout, kept in data/furniture.json so an analyst
can extend them; nothing here names a particular article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from belnlp.jsonl import data_file, json_object

TERMINAL_PUNCT = (".", "!", "?", "…", ":", ";", '"', "”", "’", "'", ")")
BULLET_RE = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
WORD_RE = re.compile(r"[^\W\d_][\w’'.-]*", re.UNICODE)
TRAILER_KINDS = ("comment_form", "teaser_heading", "share", "appeal", "correction", "follow",
                 "contact", "bio", "stamp")
#: Cues that open the trailer wherever they stand in the second half of the text. Bio lines
#: read like body sentences ("X is an analyst ..."), so they only join a trailer from below.
OPENING_KINDS = ("comment_form", "teaser_heading", "share", "appeal", "correction", "follow",
                 "contact", "stamp")
#: Lines that speak to the reader about the publication itself are furniture anywhere.
STANDALONE_KINDS = ("appeal", "correction", "follow", "contact")
#: The first sentence of a paragraph: up to a full stop before a capital (or the end).
FIRST_SENTENCE_RE = re.compile(r"^.+?[.!?](?=\s+[A-Z“\"‘]|\s*$)")
#: Separators between the names of several authors in a byline.
AUTHORS_RE = re.compile(r"\s*(?:,|&|\band\b|\bet al\.?)\s*")
FURNITURE_KEYS = frozenset(
    {
        "_doc",
        "title_max_words",
        "subtitle_max_words",
        "heading_max_words",
        "name_line_max_words",
        "name_prefixes",
        "name_particles",
        "byline",
        "trailer",
    }
)


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Structure:
    """What the layout says about a document; `body` holds (start, end) ranges of body lines."""

    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    date_source: str | None = None
    body: list[tuple[int, int]] = field(default_factory=list)
    furniture: list[tuple[int, int, str]] = field(default_factory=list)

    def in_body(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps a body line."""
        return any(s < end and start < e for s, e in self.body)


@dataclass(frozen=True, slots=True)
class Cues:
    title_max_words: int
    subtitle_max_words: int
    heading_max_words: int
    name_line_max_words: int
    name_prefixes: frozenset[str]
    name_particles: frozenset[str]
    byline: tuple[re.Pattern[str], ...]
    trailer: dict[str, tuple[re.Pattern[str], ...]]


class CuesError(ValueError):
    """A furniture cue file that cannot be used."""


def load_cues(path: str | Path | None = None) -> Cues:
    """Read and validate a furniture cue file (the packaged one by default)."""
    return data_file(path, "furniture.json", _parse_cues, CuesError, "furniture cue file")


def _parse_cues(text: str, name: str) -> Cues:
    raw = json_object(text, name, FURNITURE_KEYS, CuesError)
    unknown_kinds = set(raw["trailer"]) - set(TRAILER_KINDS)
    if unknown_kinds:
        raise CuesError(f"{name}: unknown trailer kind(s) {sorted(unknown_kinds)}")

    def compile_all(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for pattern in patterns:
            try:
                compiled.append(re.compile(pattern, re.IGNORECASE))
            except re.error as exc:
                raise CuesError(f"{name}: {where}: bad pattern {pattern!r} ({exc})") from exc
        return tuple(compiled)

    return Cues(
        title_max_words=int(raw["title_max_words"]),
        subtitle_max_words=int(raw["subtitle_max_words"]),
        heading_max_words=int(raw["heading_max_words"]),
        name_line_max_words=int(raw["name_line_max_words"]),
        name_prefixes=frozenset(p.lower() for p in raw["name_prefixes"]),
        name_particles=frozenset(p.lower() for p in raw["name_particles"]),
        byline=compile_all(raw["byline"], "byline"),
        trailer={
            kind: compile_all(raw["trailer"].get(kind, []), f"trailer.{kind}")
            for kind in TRAILER_KINDS
        },
    )


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their offsets, surrounding whitespace trimmed."""
    lines = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
    return lines


def analyse(text: str, meta: dict[str, str | None] | None = None, cues: Cues | None = None
            ) -> Structure:
    """Split an article into header, body and trailer by layout cues."""
    cues = cues or load_cues()
    meta = meta or {}
    lines = split_lines(text)
    structure = Structure(
        title=meta.get("title"), author=meta.get("author"), date=meta.get("date"),
        date_source="input" if meta.get("date") else None,
    )
    if lines:
        _read_layout(lines, text, structure, cues)
    if structure.date is None and meta.get("fallback_date"):
        structure.date, structure.date_source = meta["fallback_date"], "option"
    return structure


def _read_layout(lines: list[Line], text: str, structure: Structure, cues: Cues) -> None:
    first_body = _read_header(lines, structure, cues)
    trailer_start = _find_trailer(lines, first_body, len(text), cues)
    trailer_start = _absorb_name_lines(lines, first_body, trailer_start, structure, cues)
    for line in lines[trailer_start:]:
        _note_trailer_line(line, structure, cues)
    for line in lines[first_body:trailer_start]:
        kind = _body_line_kind(line, cues)
        if kind == "body":
            structure.body.append((line.start, line.end))
        else:
            structure.furniture.append((line.start, line.end, kind))


def _note_date(structure: Structure, found: str | None, source: str) -> None:
    """Keep the first date found, and where it came from."""
    if structure.date is None and found:
        structure.date, structure.date_source = found, source


def _read_header(lines: list[Line], structure: Structure, cues: Cues) -> int:
    """Title, standfirst and byline lines at the top; returns the first body line index."""
    index = 0
    multi_line = len(lines) > 1
    if multi_line and _is_title(lines[0], structure.title, cues):
        structure.title = MARKDOWN_HEADING_RE.sub("", lines[0].text)
        structure.furniture.append((lines[0].start, lines[0].end, "title"))
        index = 1
        if index < len(lines) - 1 and _is_subtitle(lines, index, cues):
            structure.subtitle = lines[index].text
            structure.furniture.append((lines[index].start, lines[index].end, "subtitle"))
            index += 1
    while index < min(len(lines) - 1, 4) and _byline(lines[index], structure, cues):
        structure.furniture.append((lines[index].start, lines[index].end, "byline"))
        index += 1
    return index


def _is_title(line: Line, known_title: str | None, cues: Cues) -> bool:
    if known_title and line.text.strip() == known_title.strip():
        return True
    if MARKDOWN_HEADING_RE.match(line.text):
        return True
    return line.words <= cues.title_max_words and not line.text.endswith((".", "…", ";", ","))


def _is_subtitle(lines: list[Line], index: int, cues: Cues) -> bool:
    """A standfirst: one short line after the title, unpunctuated or followed by a byline."""
    line = lines[index]
    if line.words > cues.subtitle_max_words or _matches(cues.byline, line.text):
        return False
    if not line.text.endswith(TERMINAL_PUNCT):
        return True
    return index + 1 < len(lines) and _matches(cues.byline, lines[index + 1].text) is not None


def _byline(line: Line, structure: Structure, cues: Cues) -> bool:
    """Record a byline or date line at the top; False when the line is body text."""
    match = _matches(cues.byline, line.text)
    if match:
        structure.author = structure.author or match.group("name").strip()
        rest = match.groupdict().get("rest")
        if rest:
            _note_date(structure, parse_date(rest), "byline")
        return True
    stamp = _matches(cues.trailer["stamp"], line.text)
    if stamp is not None and "date" in stamp.groupdict():
        _note_date(structure, parse_date(stamp.group("date") or ""), "stamp")
        return True
    if parse_date(line.text, strict=True):
        _note_date(structure, parse_date(line.text), "date line")
        return True
    return False


def _find_trailer(lines: list[Line], first_body: int, text_len: int, cues: Cues) -> int:
    """Index of the first opening trailer cue in the second half of the text, else len(lines)."""
    half = text_len // 2
    for index in range(first_body + 1, len(lines)):
        line = lines[index]
        if line.start >= half and _trailer_kind(line.text, cues, OPENING_KINDS):
            return index
    return len(lines)


def _absorb_name_lines(lines: list[Line], first_body: int, trailer: int,
                       structure: Structure, cues: Cues) -> int:
    """Author-name and bio lines right above the trailer (or ending the text) belong to it."""
    while trailer - 1 > first_body and _is_sign_off(lines[trailer - 1].text, structure, cues):
        trailer -= 1
    if trailer < len(lines) and structure.author is None:
        for line in lines[trailer:]:
            if _is_name_line(line.text, cues):
                structure.author = _strip_prefix(line.text, cues)
                break
    return trailer


def _note_trailer_line(line: Line, structure: Structure, cues: Cues) -> None:
    kind = _trailer_kind(line.text, cues) or (
        "byline" if _is_name_line(line.text, cues) else "furniture"
    )
    if kind == "stamp":
        stamp = _matches(cues.trailer["stamp"], line.text)
        if stamp is not None and stamp.groupdict().get("date"):
            _note_date(structure, parse_date(stamp.group("date")), "stamp")
    structure.furniture.append((line.start, line.end, kind))


def _body_line_kind(line: Line, cues: Cues) -> str:
    """'heading' for short unpunctuated lines inside the body, a reader-facing kind (appeal,
    correction, follow, contact), else 'body'."""
    if MARKDOWN_HEADING_RE.match(line.text):
        return "heading"
    standalone = _trailer_kind(line.text, cues, STANDALONE_KINDS)
    if standalone:
        return standalone
    if BULLET_RE.match(line.text):
        return "body"
    if line.words <= cues.heading_max_words and not line.text.endswith(TERMINAL_PUNCT):
        return "heading"
    if not line.text.endswith(TERMINAL_PUNCT) and _is_title_case(line.text, cues):
        return "heading"
    return "body"


def _is_title_case(text: str, cues: Cues) -> bool:
    """A longer heading in title case: every word of four letters or more is capitalised."""
    words = [word for word in WORD_RE.findall(text) if len(word) >= 4]
    return (len(text.split()) <= 2 * cues.heading_max_words and len(words) >= 4
            and all(word[:1].isupper() for word in words))


def _is_sign_off(text: str, structure: Structure, cues: Cues) -> bool:
    """An author's name line, or a bio paragraph: its first sentence is a bio line or starts
    with the name of an author in the byline ("Jane Roe is a fellow at ... She ...")."""
    if _is_name_line(text, cues) or _matches(cues.trailer["bio"], text):
        return True
    first = FIRST_SENTENCE_RE.match(text)
    if first and first.group() != text and _matches(cues.trailer["bio"], first.group()):
        return True
    return any(text.startswith(name) and len(text) > len(name) for name in authors(structure))


def authors(structure: Structure) -> list[str]:
    """The byline and its authors' names: "A and B", "A, B & C", "A, et al." → A, B, C."""
    if not structure.author:
        return []
    names = [name for name in AUTHORS_RE.split(structure.author) if len(name.split()) >= 2]
    return [structure.author, *names]


def _trailer_kind(text: str, cues: Cues, kinds: tuple[str, ...] = TRAILER_KINDS) -> str | None:
    for kind in kinds:
        if _matches(cues.trailer[kind], text):
            return kind
    return None


def _is_name_line(text: str, cues: Cues) -> bool:
    """A person's name alone on a line: a few capitalised words, no sentence punctuation."""
    words = text.split()
    if not 2 <= len(words) <= cues.name_line_max_words or text.endswith(TERMINAL_PUNCT[:4]):
        return False
    if words[0].lower() in cues.name_prefixes:
        words = words[1:]
    return len(words) >= 2 and all(
        word[:1].isupper() or word.lower() in cues.name_particles for word in words
    ) and all(WORD_RE.fullmatch(word) for word in words)


def _strip_prefix(text: str, cues: Cues) -> str:
    words = text.split()
    return " ".join(words[1:] if words[0].lower() in cues.name_prefixes else words)


def _matches(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.fullmatch(text)
        if match:
            return match
    return None


DATE_ONLY_RE = re.compile(
    r"^(?:\w+,\s*)?(?:\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$"
)


def parse_date(text: str, *, strict: bool = False) -> str | None:
    """ISO date from a date-like string; with strict, only when the string is just a date."""
    text = text.strip()
    if not text or (strict and not DATE_ONLY_RE.match(text)):
        return None
    from dateutil import parser

    try:
        parsed = parser.parse(text, fuzzy=not strict, dayfirst=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat()
