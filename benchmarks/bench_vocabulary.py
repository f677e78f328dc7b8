"""Memory over long runs: peak RSS after 2,000 and after 20,000 documents of random Unicode
and real text, each streamed through the pipeline in a fresh process.

Every document adds new words to spaCy's string store and vocabulary; the memory zones of
run/workers.py drop them every ZONE_DOCUMENTS documents, so ten times the documents should
cost (almost) no more memory. Documents go straight to the stream (random Unicode would be
refused as "not text" at the input).

    python benchmarks/bench_vocabulary.py [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from measure import run as run_command

STREAM = """\
import random, sys
from belnlp.ingest.articles import Article
from belnlp.nlp.pipeline import build_nlp
from belnlp.run.workers import stream_results

def documents(n):
    rng = random.Random(5)
    for k in range(n):
        if k % 2:
            words = ("".join(chr(rng.randrange(0x21, 0x2FFF)) for _ in range(rng.randrange(3, 9)))
                     for _ in range(12))
            text = " ".join(words)
        else:
            text = (f"Belarus signed the Zq{k}x accord with Vr{k}stan in {1990 + k % 30}. "
                    f"Minsk relies on Qel{k}ia for gas.")
        yield Article(f"d{k}", "-", text + "\\n")

nlp = build_nlp()
strings = len(nlp.vocab.strings)
done = sum(1 for _ in stream_results(documents(int(sys.argv[1])), nlp, 32))
assert done == int(sys.argv[1])
print("new strings kept:", len(nlp.vocab.strings) - strings, file=sys.stderr)
"""


def run(workdir: Path, small: int = 2000, large: int = 20_000) -> tuple[list[str], list[str]]:
    """Report lines and summary lines."""
    peaks = {n: run_command([sys.executable, "-c", STREAM, str(n)]) for n in (small, large)}
    ratio = peaks[large].peak_rss_mb / peaks[small].peak_rss_mb
    lines = ["vocabulary: peak RSS streaming random Unicode and real text (fresh process each)"]
    lines += [f"  {n:6d} documents  {peaks[n].peak_rss_mb:7.1f} MB  ({peaks[n].seconds:.0f} s)"
              for n in (small, large)]
    lines.append(f"  {large} / {small}          {ratio:7.3f}  (target <= 1.15)")
    summary = [f"vocabulary peak RSS {large} / {small} documents: {ratio:.3f} "
               "(target <= 1.15)"]
    return lines, summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        print("\n".join(run(Path(folder), options.small, options.large)[0]))
