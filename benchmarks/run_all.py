"""All scale benchmarks in one run, every ratio measured here and now, then a summary.

    python benchmarks/run_all.py [--quick]

Corpora are built deterministically from corpus/ and tests/gold/ (benchmarks/make_corpus.py);
nothing is downloaded. --quick uses smaller corpora for a smoke run (its numbers are not the
targets' sizes). Other load on the machine slows runs unevenly, so the load average at the
start and the end is printed with the results.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import bench_incremental
import bench_memory
import bench_startup
import bench_throughput


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small corpora, one repeat.")
    options = parser.parse_args()
    sizes = (dict(documents=60, repeat=1, small=20, large=200, incremental=60, runs=2)
             if options.quick else
             dict(documents=500, repeat=3, small=200, large=2000, incremental=500, runs=5))
    print(f"belnlp scale benchmarks: {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f} at start")
    started = time.perf_counter()
    summary = []
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        workdir = Path(folder)
        for bench in (
            lambda: bench_throughput.run(workdir, sizes["documents"], sizes["repeat"]),
            lambda: bench_memory.run(workdir, sizes["small"], sizes["large"]),
            lambda: bench_incremental.run(workdir, sizes["incremental"]),
            lambda: bench_startup.run(workdir, sizes["runs"]),
        ):
            lines, headline = bench()
            print("\n" + "\n".join(lines), flush=True)
            summary += headline
    print(f"\nsummary ({time.perf_counter() - started:.0f} s, load average "
          f"{os.getloadavg()[0]:.2f} at end)")
    print("\n".join(f"  {line}" for line in summary))


if __name__ == "__main__":
    main()
