"""This checkout's `belnlp extract` against another installation's, whole processes, same texts.

An issue's throughput bound ("not more than 3% below its figure before this issue") compares
two versions of belnlp, not belnlp with the model. Install the earlier version in a venv of
its own (`git worktree add ../base COMMIT && python3.11 -m venv ../basevenv &&
../basevenv/bin/pip install -e ../base`), then pass that venv's `belnlp`. Rounds alternate
the two, so a slow spell on the machine falls on both; each keeps its fastest round, in
wall-clock and in CPU time.

    python benchmarks/bench_against.py ../basevenv/bin/belnlp [--documents 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from make_corpus import write_articles
from measure import belnlp
from measure import run as run_command


def compare(other: str, corpus: Path, workdir: Path, repeat: int
            ) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) seconds of each side over `repeat` alternating rounds."""
    sides = {"this": belnlp("extract", str(corpus), "-o", str(workdir / "this.jsonl"), "-q"),
             "other": [other, "extract", str(corpus), "-o", str(workdir / "other.jsonl"), "-q"]}
    runs: dict[str, list] = {name: [] for name in sides}
    for round_ in range(repeat):
        for name in (list(sides) if round_ % 2 == 0 else list(reversed(sides))):
            runs[name].append(run_command(sides[name]))
    return {name: (min(r.seconds for r in done), min(r.cpu_seconds for r in done))
            for name, done in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="the belnlp command of the other installation")
    parser.add_argument("--documents", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-against-") as folder:
        workdir = Path(folder)
        corpus = write_articles(workdir / "articles.jsonl", options.documents)
        load = os.getloadavg()[0]
        best = compare(options.other, corpus, workdir, options.repeat)
    print(f"this belnlp against {options.other}: {options.documents} documents, best of "
          f"{options.repeat} alternating rounds (load average {load:.2f} at start)")
    for name in ("this", "other"):
        print(f"  {name:<6} {best[name][0]:7.1f} s wall {best[name][1]:7.1f} s CPU")
    print(f"  this / other throughput: {best['other'][0] / best['this'][0]:.3f} wall, "
          f"{best['other'][1] / best['this'][1]:.3f} CPU time")


if __name__ == "__main__":
    main()
