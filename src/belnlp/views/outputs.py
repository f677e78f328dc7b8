"""belnlp's output files: reading claims and documents JSONL, writing views of them atomically.

`belnlp extract` writes claims to one JSONL file and documents (with the text that claim
offsets index) to a sibling file. The readers here check each line against the record
contract (JSON object, required fields, `schema` value) and name file and line on failure,
so a hand-edited or truncated file is reported, not silently misread.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from belnlp.records import (
    CLAIM_SCHEMA,
    DOCUMENT_SCHEMA,
    documents_path_for,
    new_file_mode,
    schema,
)


class OutputsError(ValueError):
    """A line of a claims or documents file that does not hold a valid record."""


@dataclass
class Loaded:
    """Records read from one or more files, and the invalid lines skipped on the way."""

    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_claims(paths: Iterable[str | Path], *, skip_invalid: bool = False) -> Loaded:
    """Claim records of every file in order; `-` reads stdin.

    An invalid line raises OutputsError naming file and line, or with `skip_invalid` is
    counted in `skipped` (one message per line) and reading goes on.
    """
    required = tuple(schema("claim")["required"])
    loaded = Loaded()
    for path in paths:
        _read_into(loaded, str(path), CLAIM_SCHEMA, required, skip_invalid)
    return loaded


def read_documents(path: str | Path, *, skip_invalid: bool = False) -> Loaded:
    """Document records of one documents file."""
    required = tuple(schema("document")["required"])
    loaded = Loaded()
    _read_into(loaded, str(path), DOCUMENT_SCHEMA, required, skip_invalid)
    return loaded


def documents_path(claims_path: str | Path) -> Path | None:
    """Where `belnlp extract` put the documents of a claims file (None for stdin).

    claims.jsonl → documents.jsonl; X.jsonl → X.documents.jsonl.
    """
    found = documents_path_for(str(claims_path))
    return Path(found) if found is not None else None


def _read_into(loaded: Loaded, path: str, schema_id: str, required: tuple[str, ...],
               skip_invalid: bool) -> None:
    with _open(path) as handle, _gc_paused():
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record, problem = _parse(line, schema_id, required)
            if problem is None:
                loaded.records.append(record)
                continue
            message = f"{path}:{number}: {problem}"
            if not skip_invalid:
                raise OutputsError(message)
            loaded.skipped.append(message)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing: JSON records hold no cycles, and
    without the pause CPython rescans the growing list of records again and again (loading
    100,000 claims takes 2-3x longer)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _open(path: str) -> Iterator[BinaryIO]:
    if path == "-":
        yield sys.stdin.buffer
        return
    with open(path, "rb") as handle:
        yield handle


def _parse(line: bytes, schema_id: str, required: tuple[str, ...]
           ) -> tuple[dict[str, Any], str | None]:
    """The record on one line, or the reason it is not a valid one."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return {}, f"not JSON ({exc})"
    if not isinstance(record, dict):
        return {}, "not a JSON object"
    if record.get("schema") != schema_id:
        return {}, f"schema is {record.get('schema')!r}, expected {schema_id!r}"
    missing = [name for name in required if name not in record]
    if missing:
        return {}, f"missing required field(s): {', '.join(missing)}"
    return record, None


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it when the block ends without error.

    A failed or interrupted write leaves whatever was at `path` before, never a torn file.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                               dir=target.resolve().parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path: str | Path, text: str) -> None:
    """Write a whole text file atomically (UTF-8, newlines as given)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


#: Words of a verb group that carry tense, modality or negation, not the relation itself.
_AUXILIARY = frozenset(
    "am is are was were be been being has have had having do does did will would shall "
    "should can could cannot may might must ought to not n't never no longer also still".split()
)
_IRREGULAR = {
    "am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be",
    "being": "be", "has": "have", "had": "have", "having": "have", "does": "do", "did": "do",
    "done": "do", "made": "make", "sold": "sell", "bought": "buy", "paid": "pay",
    "left": "leave", "held": "hold", "built": "build", "gave": "give", "given": "give",
    "took": "take", "taken": "take", "sent": "send", "kept": "keep", "led": "lead",
    "met": "meet", "told": "tell", "said": "say", "saw": "see", "seen": "see", "went": "go",
    "gone": "go", "came": "come", "became": "become", "began": "begin", "begun": "begin",
    "brought": "bring", "drew": "draw", "drawn": "draw", "withdrew": "withdraw",
    "withdrawn": "withdraw", "fell": "fall", "fallen": "fall", "grew": "grow",
    "grown": "grow", "lost": "lose", "won": "win", "sought": "seek", "stood": "stand",
    "thought": "think", "found": "find", "felt": "feel", "meant": "mean", "spent": "spend",
    "struck": "strike", "chose": "choose", "chosen": "choose", "knew": "know",
    "known": "know", "shown": "show", "rose": "rise", "risen": "rise", "ran": "run",
    "sat": "sit", "set": "set", "cut": "cut", "put": "put", "hit": "hit", "let": "let",
    "driven": "drive", "written": "write", "broken": "break", "spoken": "speak",
    "thrown": "throw", "forgotten": "forget", "forbidden": "forbid", "proven": "prove",
    "used": "use", "owed": "owe", "agreed": "agree", "freed": "free",
}
#: Stem endings after which "-ed"/"-ing" dropped a silent "e" ("revised" → "revise").
_E_DROPPED = re.compile(r"(v|[^eo]at|[ae]ng|dg|rg|[bcdfgkptz]l|eas|ais"
                        r"|[^aeiou][aeiouy][bcdgkmnprstvz]|[^aeiou][cguz]|[^aeious]s)$")
#: ...unless the stem ends like one that never had it ("opened", "fostered", "developed").
_NO_E = re.compile(r"(er|en|on|el|it|et|al|ol|op|ow|ew|aw)$")
_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*|n't")


def predicate_lemma(text: str) -> str:
    """A cheap lemma of a relation's predicate, to count relations by what they assert.

    The first word that is not an auxiliary, modal or negation is reduced to its base form
    ("has never withdrawn" → "withdraw", "relies on" → "rely", "is sold to" → "sell"); a
    copula before a non-verb ("is largest trading partner of") and a predicate of
    auxiliaries only ("will be") give the verb's lemma ("be"). Rules and a short irregular
    table, no parser: good enough to group counts, not a dictionary.
    """
    words = _WORD.findall(text.lower().replace("’", "'"))
    if not words:
        return text.strip().lower()
    last = len(words) - 1
    for index, word in enumerate(words):
        if word not in _AUXILIARY and not (word.endswith("ly") and index < last):
            break
    else:
        verbs = [word for word in words if word in _IRREGULAR]
        return _IRREGULAR[verbs[-1]] if verbs else words[-1]
    copula = any(_IRREGULAR.get(aux) == "be" for aux in words[:index])
    if copula and words[index - 1] != "to" and not _looks_verbal(word):
        return "be"
    return _base(word)


def _looks_verbal(word: str) -> bool:
    """A participle: what follows a copula in a passive or progressive verb group."""
    return word.endswith(("ed", "ing", "en", "wn")) or word in _IRREGULAR


def _base(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    if word.endswith("eed"):
        return word
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return _restore_stem(word[: -len(suffix)])
    return word


def _restore_stem(stem: str) -> str:
    """Undo consonant doubling ("stopped") or put back a dropped "e" ("revised")."""
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        return stem if stem[-1] in "lsfz" else stem[:-1]
    if stem.endswith("e"):
        return stem
    if _E_DROPPED.search(stem) and not _NO_E.search(stem):
        return stem + "e"
    return stem
