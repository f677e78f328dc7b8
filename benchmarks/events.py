"""Event coding accuracy on the written event gold table (tests/events/events_gold.jsonl).

    python benchmarks/events.py [--gold FILE] [--errors]

Each line of the table is a sentence written for the purpose, the construction it
exercises, and its expected events as [source actor, PLOVER type, target actor, mode].
A sentence counts as correct when the set of events belnlp codes in it equals the
expected set exactly (an empty set included). Prints accuracy per construction and
overall.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from belnlp import build_nlp, extract_claims  # noqa: E402

DEFAULT_GOLD = ROOT / "tests" / "events" / "events_gold.jsonl"
Event = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class Case:
    construction: str
    text: str
    expected: frozenset[Event]
    found: frozenset[Event]

    @property
    def correct(self) -> bool:
        return self.expected == self.found


def read_table(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def coded_events(text: str, nlp) -> frozenset[Event]:
    """(source, type, target, mode) of every event coded in a text."""
    return frozenset(
        (e["source"], e["type"], e["target"], e["mode"])
        for claim in extract_claims(text, nlp=nlp)
        for rel in claim.relations
        if (e := rel.get("event"))
    )


def run_cases(rows: Iterable[dict], nlp) -> list[Case]:
    return [Case(row["construction"], row["text"], frozenset(map(tuple, row["events"])),
                 coded_events(row["text"], nlp)) for row in rows]


def accuracy(cases: Iterable[Case]) -> dict[str, tuple[int, int]]:
    """(correct, total) per construction and under "all"."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        for key in (case.construction, "all"):
            counts[key][0] += case.correct
            counts[key][1] += 1
    return {key: (c, n) for key, (c, n) in counts.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--errors", action="store_true", help="list the sentences coded wrongly")
    args = parser.parse_args(argv)
    cases = run_cases(read_table(args.gold), build_nlp())
    table = accuracy(cases)
    print(f"{'construction':<14} {'correct':>7} {'total':>5} {'accuracy':>8}")
    for key in sorted(table, key=lambda k: (k == "all", k)):
        correct, total = table[key]
        print(f"{key:<14} {correct:7d} {total:5d} {correct / total:8.3f}")
    if args.errors:
        for case in cases:
            if not case.correct:
                print(f"\n{case.text}\n  expected {sorted(case.expected)}"
                      f"\n  found    {sorted(case.found)}")


if __name__ == "__main__":
    main()
