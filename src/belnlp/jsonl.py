"""JSON Lines in: each non-blank line parsed, with the `source:line` label errors need.

Every reader of belnlp's JSONL data (rules, aliases, gold, predictions) reports a bad line
the same way, naming the file and the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


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
