"""Streaming feeds: peak RSS of reading a JSONL feed of 2,000 and of 2,000,000 records.

Each size is read in a fresh process, from a file and from stdin, through read_articles
(decoding, the JSON and plausibility checks, Article building): what `belnlp extract` does
before the pipeline, whose own memory bench_memory.py measures. A reader that read its
input whole would need about the feed's size again; a stream needs one chunk.

    python benchmarks/bench_feed.py [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from measure import run as run_command

READ = ("import sys\n"
        "from belnlp.ingest.articles import Article, read_articles\n"
        "n = sum(isinstance(item, Article) for item in read_articles([sys.argv[1]]))\n"
        "assert n == int(sys.argv[2]), n\n")


def write_feed(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for k in range(n):
            out.write(json.dumps({"id": f"r{k}", "text": f"Minsk signed gas agreement "
                                  f"number {k} with Moscow in {1990 + k % 30}."}) + "\n")
    return path


def run(workdir: Path, small: int = 2000, large: int = 2_000_000
        ) -> tuple[list[str], list[str]]:
    """Report lines and summary lines."""
    import sys

    peaks = {}
    for n in (small, large):
        feed = write_feed(workdir / f"feed-{n}.jsonl", n)
        size = feed.stat().st_size / 2**20
        from_file = run_command([sys.executable, "-c", READ, str(feed), str(n)])
        from_stdin = run_command(["sh", "-c", f'{sys.executable} -c "$0" - {n} < "$1"',
                                  READ, str(feed)])
        peaks[n] = (size, from_file, from_stdin)
        feed.unlink()
    lines = ["feed streaming: peak RSS of reading a JSONL feed (fresh process each)"]
    for n, (size, from_file, from_stdin) in peaks.items():
        lines.append(f"  {n:9d} records ({size:6.1f} MiB)  file {from_file.peak_rss_mb:6.1f} MB "
                     f"({from_file.seconds:.0f} s)  stdin {from_stdin.peak_rss_mb:6.1f} MB "
                     f"({from_stdin.seconds:.0f} s)")
    ratios = [peaks[large][i].peak_rss_mb / peaks[small][i].peak_rss_mb for i in (1, 2)]
    lines.append(f"  {large} / {small}: file {ratios[0]:.3f}, stdin {ratios[1]:.3f} "
                 "(target <= 1.10)")
    summary = [f"feed peak RSS {large} / {small} records: file {ratios[0]:.3f}, "
               f"stdin {ratios[1]:.3f} (target <= 1.10)"]
    return lines, summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=2_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        print("\n".join(run(Path(folder), options.small, options.large)[0]))
