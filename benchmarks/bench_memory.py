"""Streaming: peak RSS of `belnlp extract` on 200 and on 2,000 documents, in separate processes.

A stream keeps one batch in memory whatever the corpus size, so ten times the documents
should cost (almost) no more memory.

    python benchmarks/bench_memory.py [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from make_corpus import write_corpus
from measure import belnlp
from measure import run as run_command


def run(workdir: Path, small: int = 200, large: int = 2000) -> tuple[list[str], list[str]]:
    """Report lines and summary lines."""
    peaks = {}
    for n in (small, large):
        corpus = write_corpus(workdir / f"memory-{n}.jsonl", n)
        out = workdir / f"memory-{n}-claims.jsonl"
        peaks[n] = run_command(belnlp("extract", str(corpus), "-o", str(out), "-q"))
    ratio = peaks[large].peak_rss_mb / peaks[small].peak_rss_mb
    lines = ["memory: peak RSS of belnlp extract (one process each)"]
    lines += [f"  {n:5d} documents  {peaks[n].peak_rss_mb:7.1f} MB  ({peaks[n].seconds:.1f} s)"
              for n in (small, large)]
    lines.append(f"  {large} / {small}            {ratio:7.3f}  (target <= 1.10)")
    summary = [f"peak RSS: {peaks[small].peak_rss_mb:.1f} MB at {small} documents, "
               f"{peaks[large].peak_rss_mb:.1f} MB at {large} ({ratio:.3f}x, target <= 1.10)"]
    return lines, summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=2000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        print("\n".join(run(Path(folder), options.small, options.large)[0]))
