"""Incremental runs: `belnlp extract --incremental` on an unchanged corpus, first run vs re-run.

Both runs are whole processes (start-up included); the re-run must write the same bytes.

    python benchmarks/bench_incremental.py [--documents N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from make_corpus import write_corpus
from measure import belnlp
from measure import run as run_command


def run(workdir: Path, documents: int = 500) -> tuple[list[str], list[str]]:
    """Report lines and summary lines."""
    corpus = write_corpus(workdir / f"incremental-{documents}.jsonl", documents)
    cache = workdir / "incremental-cache"
    outputs = [workdir / "incremental-first.jsonl", workdir / "incremental-again.jsonl"]
    first, again = (
        run_command(belnlp("extract", str(corpus), "-o", str(out), "-q", "--incremental",
                           "--cache-dir", str(cache)))
        for out in outputs
    )
    same = all(
        a.read_bytes() == b.read_bytes()
        for a, b in [outputs, [o.with_name(o.stem + ".documents.jsonl") for o in outputs]]
    )
    speedup = first.seconds / again.seconds
    lines = [
        f"incremental: {documents} unchanged documents, --incremental",
        f"  first run (empty cache)   {first.seconds:7.2f} s",
        f"  re-run (all cached)       {again.seconds:7.2f} s",
        f"  speed-up                  {speedup:7.1f}x  (target >= 20)",
        f"  identical output          {'yes' if same else 'NO'}",
    ]
    summary = [f"incremental re-run speed-up: {speedup:.1f}x (target >= 20), "
               f"identical output: {'yes' if same else 'NO'}"]
    return lines, summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        print("\n".join(run(Path(folder), options.documents)[0]))
