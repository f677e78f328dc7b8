"""Time as data: DATE expressions normalised against the article's date, time anchors, frames.

`normalise_date(text, reference)` turns one date expression into a `DateValue`: an ISO 8601
`value` where it can be (`1999`, `1999-12`, `1999-12-08`, `199X` for a decade, `18XX` for a
century, `2012/2015` for an interval, `2020-Q3`, `2019-22` for a season as in EDTF), its
`granularity` and its `relation` to the reference date. Unresolvable expressions get a null
value and a short `reason`, never a guess. Bare years, decades, centuries, seasons, quarters,
intervals and relative stretches are read by the rules below, because dateparser reads "in 1994"
as a day and "may" as a month; the remaining day and month expressions go to dateparser with the
article's date as its relative base. Results are memoised per (text, reference).

`TimeAnchors` finds a Doc's anchors once: its DATE entities, the years in named events
("Zapad 2021"), "from X to Y" intervals, and the comparison and relative cues of
data/cues/time.jsonl. `time_frame` reads a sentence's frame from its main clause and anchors.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from belnlp.jsonl import numbered_records

if TYPE_CHECKING:  # spaCy is imported where it is used: rule checks need only the constants
    from spacy.tokens import Doc, Span, Token

GRANULARITIES = ("day", "week", "month", "season", "quarter", "year", "decade", "century",
                 "relative")
RELATIONS = ("before", "same", "after", "unknown")
CUE_KINDS = frozenset({"comparison", "cessation", "relative", "duration"})
CUE_KEYS = frozenset({"id", "kind", "relation", "terms", "pattern", "note"})
#: Anchor kinds: a DATE entity, the year of a named event, an interval, a cue.
ANCHOR_KINDS = frozenset({"date", "event", *CUE_KINDS})
PAST_TAGS = frozenset({"VBD"})
PARTICIPLE_DEPS = frozenset({"acl", "amod"})
YEARLESS = frozenset({"day", "week", "month", "season", "quarter"})
AUX_DEPS = frozenset({"aux", "auxpass", "cop"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "’ll"})
INTERVAL_JOINS = {("from", "to"), ("from", "until"), ("from", "till"), ("between", "and"),
                  ("from", "-"), ("from", "–"), ("from", "—")}

MONTHS = {name: index for index, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
#: (first month, last month) of each EDTF season code; winter runs into the next year.
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
            "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
            "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "twenty-first": 21, "last": 4}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a few": 3,
                "several": 3, "a couple of": 2, "twenty": 20, "thirty": 30, "fifteen": 15}

YEAR = r"(1[0-9]{3}|20[0-9]{2})"
#: Words around a date that do not change which time it names.
LEAD_RE = re.compile(
    r"^(?:(?:at least|as early as|as late as|no later than|as of|in|on|at|by|during|throughout|"
    r"around|circa|c\.|about|of|"
    r"the|a|year|fiscal|calendar)\s+)+", re.I)
EDGE_RE = re.compile(r"^(?:(?:the\s+)?(early|late|mid|middle|end|start|beginning|turn|close)"
                     r"(?:\s+of)?(?:\s+the)?[\s-]+)", re.I)
POSSESSIVE_RE = re.compile(r"(?:'s|’s|'|’)$")
YEAR_RE = re.compile(rf"^{YEAR}$")
YEAR_ANYWHERE_RE = re.compile(rf"(?<![0-9]){YEAR}(?![0-9])")
DECADE_RE = re.compile(r"^(1[0-9]{2}|20[0-9])0(?:s|'s|’s)$")
SHORT_DECADE_RE = re.compile(r"^['’]([0-9])0s$")
CENTURY_RE = re.compile(r"^([0-9]{1,2})(?:st|nd|rd|th)[\s-]+century$|^([a-z]+(?:-first)?)[\s-]+"
                        r"century$")
HUNDREDS_RE = re.compile(r"^(1[0-9])00s$")  # "the 1800s"; "the 2000s" is a decade
INTERVAL_RE = re.compile(rf"^(?:from\s+|between\s+)?{YEAR}\s*(?:-|–|—|to|until|till|and)\s*"
                         r"([0-9]{2,4})$")
DAY_RANGE_RE = re.compile(rf"^(?P<month>[a-z]+)\.?\s+(?P<first>[0-9]{{1,2}})\s*(?:-|–|—|to)\s*"
                          rf"(?P<last>[0-9]{{1,2}})(?:,?\s+(?P<year>{YEAR}))?$")
DAY_RANGE_FIRST_RE = re.compile(rf"^(?P<first>[0-9]{{1,2}})\s*(?:-|–|—|to)\s*(?P<last>[0-9]{{1,2}})"
                                rf"\s+(?P<month>[a-z]+)(?:,?\s+(?P<year>{YEAR}))?$")
SEASON_RE = re.compile(rf"^(spring|summer|autumn|fall|winter)(?:\s+of)?\s+{YEAR}$")
QUARTER_RE = re.compile(rf"^(?:q([1-4])|(first|second|third|fourth|last)\s+quarter)"
                        rf"(?:\s+of)?(?:\s+{YEAR})?$")
HALF_RE = re.compile(rf"^(first|second)\s+half(?:\s+of)?\s+{YEAR}$")
MONTH_YEAR_RE = re.compile(rf"^([a-z]+)\.?,?\s+(?:of\s+)?{YEAR}$")
AGO_RE = re.compile(r"^(?:(?:over|more than|nearly|almost|about|some|around|roughly)\s+)?"
                    r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
                    r"fifteen|a few|several|a couple of|[0-9]{1,3})\s+(year|decade|century|"
                    r"month|week|day)s?\s+ago$")
RELATIVE_UNIT_RE = re.compile(
    r"^(last|this|next|previous|past|coming|following|current)\s+(year|month|week|decade|"
    r"century|spring|summer|autumn|fall|winter)$")
RELATIVE_MONTH_RE = re.compile(r"^(last|this|next)\s+([a-z]+)$")
EARLIER_RE = re.compile(r"^(earlier|later)\s+(?:this|in\s+the)\s+(year|month|week|decade)$")
BEFORE_STRETCH_RE = re.compile(
    r"^(?:(?:the\s+)?(?:past|last|previous|preceding|recent)\s+(?:[a-z0-9 -]+\s+)?"
    r"(?:years?|months?|weeks?|days?|decades?|centuries|century|quarter-century)|recent\s+(?:years|months|weeks|days|"
    r"decades|times)|recently|yesteryear|(?:the\s+)?past|earlier\s+years)$")
AFTER_STRETCH_RE = re.compile(
    r"^(?:(?:the\s+)?(?:coming|next|following|upcoming|future)\s+(?:[a-z0-9 -]+\s+)?"
    r"(?:years?|months?|weeks?|days?|decades?)|(?:the\s+)?future|tomorrow|soon)$")
DURATION_RE = re.compile(
    r"^(?:(?:[0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a few|"
    r"some|almost|nearly|over|more than|less than|about|the)\s+)*(?:years?|months?|weeks?|"
    r"days?|decades?|centuries|hours?)(?:\s+long)?$")
TODAY_WORDS = frozenset({"today", "now", "nowadays", "currently", "at present", "present",
                         "this day"})
ANAPHORIC_RE = re.compile(r"^(?:the|that|those)\s+(?:day|days|year|month|week|time|period|date|"
                          r"era)$|^(?:this|these)\s+(?:time|period|era|days)$|^(?:[a-z0-9-]+\s+){0,2}(?:later|"
                          r"earlier|afterwards?|beforehand|thereafter)$")


@dataclass(frozen=True, slots=True)
class DateValue:
    """A normalised date expression; `value` None comes with a `reason`."""

    value: str | None
    granularity: str
    relation: str
    reason: str | None = None


class Anchor(NamedTuple):
    """One time anchor of a Doc: character and token offsets, kind, and its normalisation."""

    start: int
    end: int
    token_start: int
    token_end: int
    kind: str
    value: str | None
    granularity: str
    relation: str
    reason: str | None
    cue: str | None


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    kind: str
    relation: str
    terms: tuple[str, ...]
    pattern: list[dict[str, Any]] | None
    source: str


class CueError(ValueError):
    """A cue file that cannot be used; the message names file, line and problem."""


# --- normalisation -------------------------------------------------------------------------


def normalise_date(text: str, reference: date | None) -> DateValue:
    """The value, granularity and relation of one date expression (memoised)."""
    return _normalise(" ".join(text.split()), reference)


@lru_cache(maxsize=8192)
def _normalise(text: str, reference: date | None) -> DateValue:
    if text == "may":
        return DateValue(None, "relative", "unknown", "'may' in lower case is the modal verb")
    lowered = POSSESSIVE_RE.sub("", text.lower().strip(" ,.;:")).strip()
    lowered = LEAD_RE.sub("", lowered)
    for reader in (_interval, _day_range, _since, _edges):
        found = reader(lowered, reference)
        if found is not None:
            return found
    return _core(lowered, reference)


def _edges(text: str, reference: date | None) -> DateValue | None:
    """'early 2019', 'the end of April', 'mid-1990s': the time they qualify."""
    match = EDGE_RE.match(text)
    if match is None or match.end() == len(text):
        return None
    return _core(LEAD_RE.sub("", text[match.end():]), reference)


def _since(text: str, reference: date | None) -> DateValue | None:
    """'since 1994' and 'until 2028' name the time they start or end at."""
    for word in ("since", "until", "till", "before", "after", "prior to", "up to"):
        if text.startswith(word + " "):
            return _normalise(text[len(word) + 1:], reference)
    return None


def _interval(text: str, reference: date | None) -> DateValue | None:
    match = INTERVAL_RE.match(text)
    if match is None:
        return None
    first, second = match.group(1), match.group(2)
    if len(second) == 2:
        second = first[:2] + second
    elif len(second) == 3:
        return None
    if int(second) < int(first):
        return DateValue(None, "year", "unknown", "interval ends before it starts")
    low, high = date(int(first), 1, 1), date(int(second), 12, 31)
    return DateValue(f"{first}/{second}", "year", _relation(low, high, reference))


def _day_range(text: str, reference: date | None) -> DateValue | None:
    """'February 18-19', '18–19 February 2022': an interval of days in one month."""
    match = DAY_RANGE_RE.match(text) or DAY_RANGE_FIRST_RE.match(text)
    if match is None or match.group("month") not in MONTHS:
        return None
    if match.group("year") is None and reference is None:
        return DateValue(None, "day", "unknown", "relative to an unknown article date")
    year = int(match.group("year")) if match.group("year") else reference.year
    month = MONTHS[match.group("month")]
    try:
        low = date(year, month, int(match.group("first")))
        high = date(year, month, int(match.group("last")))
    except ValueError:
        return DateValue(None, "day", "unknown", "not a calendar date")
    if high < low:
        return DateValue(None, "day", "unknown", "interval ends before it starts")
    return DateValue(f"{low.isoformat()}/{high.isoformat()}", "day",
                     _relation(low, high, reference))


def _core(text: str, reference: date | None) -> DateValue:
    """A date expression without leading prepositions and edge words."""
    if not text:
        return DateValue(None, "relative", "unknown", "no date in the expression")
    for reader in (_absolute, _relative):
        found = reader(text, reference)
        if found is not None:
            return found
    if not any(char.isdigit() for char in text) and not any(
            word in MONTHS for word in re.findall(r"[a-z]+", text)) and not re.search(
            r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
            r"week|month|year)s?\b", text):
        return DateValue(None, "relative", "unknown", "not a point in time")
    return _dateparser(text, reference)


def _absolute(text: str, reference: date | None) -> DateValue | None:
    if YEAR_RE.match(text):
        year = int(text)
        return _year_value(year, reference)
    if match := HUNDREDS_RE.match(text):
        return _century_value(int(match.group(1)) + 1, reference)
    if match := DECADE_RE.match(text):
        start = int(match.group(1)) * 10
        return DateValue(f"{match.group(1)}X", "decade",
                         _relation(date(start, 1, 1), date(start + 9, 12, 31), reference))
    if SHORT_DECADE_RE.match(text):
        return DateValue(None, "decade", "unknown", "decade without its century")
    if match := CENTURY_RE.match(text):
        number = int(match.group(1)) if match.group(1) else ORDINALS.get(match.group(2) or "")
        if number is None or match.group(2) == "last":
            return DateValue(None, "century", "unknown", "century not named")
        return _century_value(number, reference)
    if match := SEASON_RE.match(text):
        code, year = SEASONS[match.group(1)], int(match.group(2))
        first, last = SEASON_MONTHS[code]
        low = date(year, first, 1)
        high = date(year + (last > 12), (last - 1) % 12 + 1, 28)
        return DateValue(f"{year}-{code}", "season", _relation(low, high, reference))
    if match := QUARTER_RE.match(text):
        quarter = int(match.group(1)) if match.group(1) else ORDINALS[match.group(2)]
        if match.group(3) is None and reference is None:
            return DateValue(None, "quarter", "unknown", "quarter without a year or article date")
        year = int(match.group(3)) if match.group(3) else reference.year
        low = date(year, 3 * quarter - 2, 1)
        high = _month_end(year, 3 * quarter)
        return DateValue(f"{year}-Q{quarter}", "quarter", _relation(low, high, reference))
    if match := HALF_RE.match(text):
        year, half = int(match.group(2)), 1 if match.group(1) == "first" else 2
        low, high = date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
        return DateValue(f"{year}-H{half}", "season", _relation(low, high, reference))
    if (match := MONTH_YEAR_RE.match(text)) and match.group(1) in MONTHS:
        year, month = int(match.group(2)), MONTHS[match.group(1)]
        return DateValue(f"{year}-{month:02d}", "month",
                         _relation(date(year, month, 1), _month_end(year, month), reference))
    if text in MONTHS and len(text) > 3:
        if reference is None:
            return DateValue(None, "month", "unknown", "month without a year or article date")
        month = MONTHS[text]
        return DateValue(f"{reference.year}-{month:02d}", "month",
                         _relation(date(reference.year, month, 1),
                                   _month_end(reference.year, month), reference))
    return None


def _relative(text: str, reference: date | None) -> DateValue | None:
    """Expressions that need the article's date: 'last year', 'three decades ago', 'recently'."""
    if text in TODAY_WORDS:
        return _pinned("day", reference, 0, lambda ref: ref.isoformat())
    if text == "day":  # "the day's exercises": the day being reported on
        return _pinned("day", reference, 0, lambda ref: ref.isoformat())
    if ANAPHORIC_RE.match(text):
        return DateValue(None, "relative", "unknown", "refers to a time named elsewhere")
    if match := EARLIER_RE.match(text):
        unit = match.group(2)
        relation = "before" if match.group(1) == "earlier" else "after"
        if reference is None:
            return DateValue(None, unit, "unknown", "relative to an unknown article date")
        value = _unit_value(unit, reference)
        return DateValue(value, unit, relation)
    if match := RELATIVE_UNIT_RE.match(text):
        return _relative_unit(match.group(1), match.group(2), reference)
    if (match := RELATIVE_MONTH_RE.match(text)) and match.group(2) in MONTHS:
        return _relative_month(match.group(1), MONTHS[match.group(2)], reference)
    if match := AGO_RE.match(text):
        amount = NUMBER_WORDS.get(match.group(1))
        amount = amount if amount is not None else int(match.group(1))
        unit = match.group(2)
        if reference is None:
            return DateValue(None, unit, "unknown", "relative to an unknown article date")
        if unit in ("year", "decade", "century"):
            years = amount * {"year": 1, "decade": 10, "century": 100}[unit]
            return DateValue(str(reference.year - years), "year", "before")
        return None  # days, weeks, months: dateparser counts them from the base
    if BEFORE_STRETCH_RE.match(text):
        return DateValue(None, "relative", "before", "a stretch of time before the article")
    if AFTER_STRETCH_RE.match(text):
        return DateValue(None, "relative", "after", "a stretch of time after the article")
    if DURATION_RE.match(text):
        return DateValue(None, "relative", "unknown", "a duration, not a point in time")
    return None


def _relative_month(which: str, month: int, reference: date | None) -> DateValue:
    """'last March': the latest March before the article's month; 'next May': the next one."""
    if reference is None:
        return DateValue(None, "month", "unknown", "relative to an unknown article date")
    year = reference.year
    if which == "last":
        year -= month >= reference.month
    elif which == "next":
        year += month <= reference.month
    return DateValue(f"{year}-{month:02d}", "month",
                     _relation(date(year, month, 1), _month_end(year, month), reference))


def _relative_unit(which: str, unit: str, reference: date | None) -> DateValue:
    if which in ("past", "coming", "following") and unit in ("year", "month", "week", "decade"):
        relation = "before" if which == "past" else "after"
        return DateValue(None, "relative", relation,
                         f"the {which} {unit} as a stretch of time, not a point")
    granularity = "season" if unit in SEASONS else unit
    if reference is None:
        return DateValue(None, granularity, "unknown", "relative to an unknown article date")
    step = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1}[which]
    if unit in SEASONS:
        code = SEASONS[unit]
        year = reference.year + step
        first, last = SEASON_MONTHS[code]
        low, high = date(year, first, 1), date(year + (last > 12), (last - 1) % 12 + 1, 28)
        return DateValue(f"{year}-{code}", "season", _relation(low, high, reference))
    if unit == "year":
        return _year_value(reference.year + step, reference)
    if unit == "decade":
        start = (reference.year // 10 + step) * 10
        return DateValue(f"{start // 10}X", "decade",
                         _relation(date(start, 1, 1), date(start + 9, 12, 31), reference))
    if unit == "century":
        return _century_value(reference.year // 100 + 1 + step, reference)
    if unit == "month":
        index = reference.year * 12 + reference.month - 1 + step
        year, month = divmod(index, 12)
        return DateValue(f"{year}-{month + 1:02d}", "month",
                         _relation(date(year, month + 1, 1), _month_end(year, month + 1),
                                   reference))
    return _dateparser(f"{which} week", reference)


def _dateparser(text: str, reference: date | None) -> DateValue:
    """Day, week and month expressions read by dateparser relative to the article's date."""
    has_year = YEAR_ANYWHERE_RE.search(text) is not None
    parsed = _parser(reference or date.today()).get_date_data(text)
    if parsed is None or parsed.date_obj is None:
        return DateValue(None, "relative", "unknown", "not a date dateparser can read")
    when = parsed.date_obj.date()
    period = parsed.period or "day"
    if not has_year and reference is None:
        return DateValue(None, _granularity(period), "unknown",
                         "relative to an unknown article date")
    if period == "year":
        return _year_value(when.year, reference)
    if period == "month":
        return DateValue(f"{when.year}-{when.month:02d}", "month",
                         _relation(date(when.year, when.month, 1),
                                   _month_end(when.year, when.month), reference))
    if period == "week":
        year, week, _ = when.isocalendar()
        low = date.fromisocalendar(year, week, 1)
        high = date.fromisocalendar(year, week, 7)
        return DateValue(f"{year}-W{week:02d}", "week", _relation(low, high, reference))
    return DateValue(when.isoformat(), "day", _relation(when, when, reference))


@lru_cache(maxsize=64)
def _parser(reference: date):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day),
        "PREFER_DATES_FROM": "current_period", "STRICT_PARSING": False})


def _granularity(period: str) -> str:
    return period if period in GRANULARITIES else "day"


def _pinned(granularity: str, reference: date | None, step: int, render) -> DateValue:
    if reference is None:
        return DateValue(None, granularity, "unknown", "relative to an unknown article date")
    return DateValue(render(reference), granularity, "same")


def _unit_value(unit: str, reference: date) -> str:
    if unit == "year":
        return str(reference.year)
    if unit == "month":
        return f"{reference.year}-{reference.month:02d}"
    if unit == "decade":
        return f"{reference.year // 10}X"
    year, week, _ = reference.isocalendar()
    return f"{year}-W{week:02d}"


def _year_value(year: int, reference: date | None) -> DateValue:
    return DateValue(str(year), "year", _relation(date(year, 1, 1), date(year, 12, 31),
                                                  reference))


def _century_value(number: int, reference: date | None) -> DateValue:
    if not 1 <= number <= 21:
        return DateValue(None, "century", "unknown", "century out of range")
    start = (number - 1) * 100
    return DateValue(f"{start // 100:02d}XX", "century",
                     _relation(date(max(start, 1), 1, 1), date(start + 99, 12, 31), reference))


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _relation(low: date, high: date, reference: date | None) -> str:
    """Where [low, high] lies from the reference date (today when there is none)."""
    point = reference or date.today()
    if high < point:
        return "before"
    if low > point:
        return "after"
    return "same"


# --- cues ------------------------------------------------------------------------------------


def default_cue_path() -> Path:
    return Path(str(resources.files("belnlp") / "data" / "cues" / "time.jsonl"))


def load_cues(path: str | Path | None = None) -> list[Cue]:
    """Read and validate a time cue file (the packaged one by default)."""
    path = Path(path) if path is not None else default_cue_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CueError(f"{path}: cannot read time cues ({exc})") from exc
    cues, seen = [], set()
    for raw, where in numbered_records(text.split("\n"), str(path), CueError):
        cue = _parse_cue(raw, where)
        if cue.id in seen:
            raise CueError(f"{where}: duplicate cue id {cue.id!r}")
        seen.add(cue.id)
        cues.append(cue)
    return cues


def _parse_cue(raw: Any, where: str) -> Cue:
    if not isinstance(raw, dict):
        raise CueError(f"{where}: a cue must be a JSON object")
    unknown = set(raw) - CUE_KEYS
    if unknown:
        raise CueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(CUE_KEYS)}")
    cue_id = raw.get("id")
    if not isinstance(cue_id, str) or not cue_id:
        raise CueError(f"{where}: missing 'id'")
    if raw.get("kind") not in CUE_KINDS:
        raise CueError(f"{where}: cue {cue_id!r}: 'kind' must be one of {sorted(CUE_KINDS)}")
    if raw.get("relation") not in RELATIONS:
        raise CueError(f"{where}: cue {cue_id!r}: 'relation' must be one of {list(RELATIONS)}")
    terms, pattern = raw.get("terms"), raw.get("pattern")
    if (terms is None) == (pattern is None):
        raise CueError(f"{where}: cue {cue_id!r}: needs exactly one of 'terms' or 'pattern'")
    if terms is not None and not (isinstance(terms, list) and terms and all(
            isinstance(term, str) and term.strip() for term in terms)):
        raise CueError(f"{where}: cue {cue_id!r}: 'terms' must be a non-empty list of strings")
    if pattern is not None and not (isinstance(pattern, list) and pattern and all(
            isinstance(token, dict) for token in pattern)):
        raise CueError(f"{where}: cue {cue_id!r}: 'pattern' must be a list of token objects")
    return Cue(cue_id, raw["kind"], raw["relation"], tuple(terms or ()), pattern, where)


# --- anchors ---------------------------------------------------------------------------------


class TimeAnchors:
    """Finds the time anchors of a Doc; the cue matchers are compiled once.

    spaCy's Matcher tries every pattern at every token, so each Doc is matched only against
    the pattern cues whose anchor words (components/anchors.py) all occur in it: the others
    cannot match. A Matcher holds the patterns of one such set of cues in file order, so
    its matches are the full Matcher's, in the same order.
    """

    def __init__(self, nlp, cues: Iterable[Cue]) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.strings import get_string_id

        from belnlp.nlp.components.anchors import pattern_anchors

        self.cues = {cue.id: cue for cue in cues}
        self.vocab = nlp.vocab
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab, validate=True)
        #: Per pattern cue, in file order: its expanded patterns and its anchors as hashes.
        self.patterns: dict[str, list[list[dict[str, Any]]]] = {}
        self.anchors: dict[str, list[tuple[str, frozenset[int]]]] = {}
        self.matchers: dict[tuple[str, ...], Any] = {}
        for cue in self.cues.values():
            try:
                if cue.terms:
                    self.phrases.add(cue.id, list(nlp.tokenizer.pipe(cue.terms)))
                else:
                    self.patterns[cue.id] = expand_first(cue.pattern)
                    self.tokens.add(cue.id, self.patterns[cue.id])
            except (ValueError, KeyError, TypeError) as exc:
                problem = " ".join(str(exc).split())[:300]
                raise CueError(f"{cue.source}: cue {cue.id!r}: spaCy rejects the pattern: "
                               f"{problem}") from exc
            if cue.pattern:
                self.anchors[cue.id] = [(attr, frozenset(map(get_string_id, words)))
                                        for attr, words in pattern_anchors(cue.pattern)]
        self.matchers[tuple(self.patterns)] = self.tokens

    def __call__(self, doc: Doc, reference: date | None) -> list[Anchor]:
        anchors = self._dates(doc, reference)
        taken = {index for anchor in anchors
                 for index in range(anchor.token_start, anchor.token_end)}
        strings = doc.vocab.strings
        hits = []
        if len(self.phrases):
            hits.extend(self.phrases(doc))
        if len(self.tokens):
            hits.extend(self._token_matches(doc))
        for match_id, start, end in hits:
            if taken.intersection(range(start, end)):
                continue
            cue = self.cues[strings[match_id]]
            span = doc[start:end]
            anchors.append(Anchor(span.start_char, span.end_char, start, end, cue.kind, None,
                                  "relative", cue.relation, f"{cue.kind} cue", cue.id))
        anchors.sort(key=lambda anchor: (anchor.start, -anchor.end))
        return _dedupe(anchors)

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """What the Matcher of all pattern cues finds, from one of the cues that can match.

        A Doc without tags, lemmas or a parse goes to the full Matcher, which tells so."""
        from spacy.attrs import LEMMA, LOWER

        if not all(doc.has_annotation(attr) for attr in ("TAG", "POS", "LEMMA", "DEP")):
            return self.tokens(doc)
        lower, lemma = doc.to_array([LOWER, LEMMA]).T
        present = {"LOWER": set(lower.tolist()), "LEMMA": set(lemma.tolist())}
        active = tuple(cue_id for cue_id, anchors in self.anchors.items()
                       if all(not words.isdisjoint(present[attr]) for attr, words in anchors))
        if not active:
            return []
        matcher = self.matchers.get(active)
        if matcher is None:
            from spacy.matcher import Matcher

            matcher = self.matchers[active] = Matcher(self.vocab)
            for cue_id in active:
                matcher.add(cue_id, self.patterns[cue_id])
        return matcher(doc)

    def _dates(self, doc: Doc, reference: date | None) -> list[Anchor]:
        anchors: list[Anchor] = []
        ents = [ent for ent in doc.ents if ent.label_ in ("DATE", "EVENT")]
        index = 0
        while index < len(ents):
            ent = ents[index]
            if ent.label_ == "EVENT":
                year = YEAR_ANYWHERE_RE.search(ent.text)
                if year is not None:
                    found = normalise_date(year.group(1), reference)
                    anchors.append(_anchor(ent, "event", found))
                index += 1
                continue
            following = ents[index + 1] if index + 1 < len(ents) else None
            if following is not None and following.label_ == "DATE" and _joined(ent, following):
                span = doc[ent.start - 1:following.end]
                found = normalise_date(f"{ent.text} to {following.text}", reference)
                if found.value is not None:
                    anchors.append(_anchor(span, "date", found))
                    index += 2
                    continue
            anchors.append(_anchor(ent, "date", _in_context(ent, reference)))
            index += 1
        return anchors


def _in_context(ent: Span, reference: date | None) -> DateValue:
    """A yearless day or month told in the past ('In April, X revised') is last year's when
    this year's would lie after the article's date."""
    found = normalise_date(ent.text, reference)
    if (found.relation != "after" or reference is None or found.granularity not in YEARLESS
            or YEAR_ANYWHERE_RE.search(ent.text) or not is_past(clause_verb(ent.root))):
        return found
    earlier = normalise_date(f"{ent.text} {reference.year - 1}", reference)
    return earlier if earlier.value is not None else found


def expand_first(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A token pattern whose first token's `IN` sets become alternative patterns.

    spaCy's Matcher tests the first token of every pattern on every token, an `IN` set in
    Python and an equality in C; after the first token only the few partial matches are
    tested, so sets there cost little.
    """
    choices: list[dict[str, Any]] = [{}]
    for key, value in pattern[0].items():
        if isinstance(value, dict) and set(value) == {"IN"}:
            choices = [{**choice, key: option} for choice in choices for option in value["IN"]]
        else:
            choices = [{**choice, key: value} for choice in choices]
    return [[choice, *pattern[1:]] for choice in choices]


def _joined(first: Span, second: Span) -> bool:
    """'from 2012 to 2015', 'between 2012 and 2015': two years joined as one interval."""
    doc = first.doc
    if first.start == 0 or second.start != first.end + 1:
        return False
    return (doc[first.start - 1].lower_, doc[first.end].lower_) in INTERVAL_JOINS


def _anchor(span: Span, kind: str, found: DateValue) -> Anchor:
    return Anchor(span.start_char, span.end_char, span.start, span.end, kind, found.value,
                  found.granularity, found.relation, found.reason, None)


def _dedupe(anchors: list[Anchor]) -> list[Anchor]:
    """Overlapping cue hits: keep the first, longest one."""
    kept: list[Anchor] = []
    for anchor in anchors:
        if kept and anchor.start < kept[-1].end and anchor.cue is not None:
            continue
        kept.append(anchor)
    return kept


# --- frames ----------------------------------------------------------------------------------


def is_past(verb: Token) -> bool:
    """Past tense or perfect aspect in the clause of `verb` ("signed", "was", "has led")."""
    if verb.tag_ in PAST_TAGS:
        return True
    auxes = [child for child in verb.children if child.dep_ in AUX_DEPS]
    if any(aux.tag_ in PAST_TAGS for aux in auxes):
        return True
    return verb.tag_ == "VBN" and any(aux.lemma_ == "have" for aux in auxes)


def is_future(verb: Token) -> bool:
    """'will sign', 'is going to sign', 'is set to', 'is expected to'."""
    auxes = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    if any(aux.lower_ in FUTURE_AUX for aux in auxes):
        return True
    return verb.lemma_ in ("go", "set", "expect", "due", "scheduled") and any(
        child.dep_ == "xcomp" for child in verb.children) and not is_past(verb)


def clause_verb(token: Token) -> Token:
    """The finite verb whose clause holds `token`: a participle that only modifies a noun
    ("the messaging surrounding X was calibrated") hands over to the clause around it."""
    current = _verb_above(token)
    while current.tag_ == "VBG" and current.dep_ in PARTICIPLE_DEPS and current.head.i != current.i:
        current = _verb_above(current.head)
    return current


def _verb_above(token: Token) -> Token:
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current


def time_frame(sent: Span, anchors: list[Anchor]) -> str:
    """past, present or future from the main clause; mixed when anchors point elsewhere."""
    root = sent.root
    frame = "past" if is_past(root) else "future" if is_future(root) else "present"
    pointing = {{"before": "past", "after": "future"}.get(anchor.relation, frame)
                for anchor in anchors}
    return "mixed" if pointing - {frame} else frame


def article_date(doc: Doc) -> date | None:
    """The article's date (doc._.belnlp_ref_date, set from the input or --date), if any."""
    given = doc._.belnlp_ref_date if doc.has_extension("belnlp_ref_date") else None
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            pass
    return None


def date_fields(found: DateValue | Anchor) -> dict[str, Any]:
    """The normalisation keys of a DATE entity record."""
    return {"value": found.value, "granularity": found.granularity, "relation": found.relation,
            "reason": found.reason}


def anchor_record(anchor: Anchor, text: str, offset: int) -> dict[str, Any]:
    record = {"text": text[anchor.start:anchor.end], "start": anchor.start + offset,
              "end": anchor.end + offset, "kind": anchor.kind, "value": anchor.value,
              "granularity": anchor.granularity, "relation": anchor.relation}
    if anchor.reason is not None:
        record["reason"] = anchor.reason
    if anchor.cue is not None:
        record["cue"] = anchor.cue
    return record
