"""Data files in: JSONL lines parsed with the `source:line` label errors need, JSON settings
objects checked for their keys, and the packaged default of each file read once.

Every reader of belnlp's data (rules, aliases, cue files, gold, predictions) reports a bad
file or line the same way, naming the file and the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def numbered_records(lines: Iterable[str], source: str, error: type[Exception]
                     ) -> Iterator[tuple[Any, str]]:
    """(parsed value, "source:line") per non-blank line; a line that is not JSON raises error."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            yield json.loads(line), where
        except json.JSONDecodeError as exc:
            raise error(f"{where}: not valid JSON ({exc.msg})") from None


def data_text(path: str | Path, error: type[Exception], what: str) -> str:
    """The text of a data file the user names; `error` says which file cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{path}: {what} is not UTF-8 (byte {exc.start})") from exc


def data_file(path: str | Path | None, packaged: str, parse: Callable[[str, str], T],
              error: type[Exception], what: str) -> T:
    """A data file parsed by `parse(text, name)`: the one at `path`, else the packaged
    `belnlp/data/<packaged>`, which is read once per process."""
    if path is None:
        return _packaged(packaged, parse)
    return parse(data_text(path, error, what), str(path))


@cache
def _packaged(relative: str, parse: Callable[[str, str], T]) -> T:
    data = resources.files("belnlp") / "data" / relative
    return parse(data.read_text(encoding="utf-8"), f"belnlp/data/{relative}")


def json_object(text: str, name: str, keys: frozenset[str], error: type[Exception]
                ) -> dict[str, Any]:
    """A JSON settings file's one object, holding every key of `keys` but `_doc` and no other."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise error(f"{name}: must hold one JSON object")
    unknown, missing = set(raw) - keys, keys - {"_doc"} - set(raw)
    if unknown or missing:
        raise error(f"{name}: unknown key(s) {sorted(unknown)}, missing {sorted(missing)}")
    return raw


RECORD_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,80}$")


def identified_record(raw: Any, where: str, keys: frozenset[str], error: type[Exception],
                      kind: tuple[str, str]) -> tuple[str, Callable[[str], Exception]]:
    """Check one JSONL line of a rule or cue file: an object with a well-formed `id` and only
    `keys`. `kind` names the line and its id in messages ("an event rule", "rule"). Returns
    the id and `fail(problem)`, the error naming the line and the id."""
    line, label = kind
    if not isinstance(raw, dict):
        raise error(f"{where}: {line} must be a JSON object")
    record_id = raw.get("id")
    if not isinstance(record_id, str) or not RECORD_ID_RE.match(record_id):
        raise error(f"{where}: missing or malformed 'id' ({record_id!r})")

    def fail(problem: str) -> Exception:
        return error(f"{where}: {label} {record_id!r}: {problem}")

    unknown = set(raw) - keys
    if unknown:
        raise fail(f"unknown key(s) {sorted(unknown)}; allowed: {sorted(keys)}")
    return record_id, fail
