"""Cold start: `belnlp --help`, and `belnlp extract` on one short article against loading spaCy.

The reference is `python -c "import spacy; spacy.load(MODEL)"`; the processing itself is the
time process_articles takes on the article in a fresh process with the pipeline built.

    python benchmarks/bench_startup.py [--repeat R]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from measure import MODEL, belnlp, median_seconds, python_json

ARTICLE = ("Minsk between two capitals\n\n"
           "In 1999, Belarus and Russia signed a treaty to form a Union State. Russia is "
           "Belarus’s largest trading partner, and Belarus hosts Russian military facilities.\n")
PROCESS_ONE = """
import json, sys, time
from belnlp.ingest.articles import read_articles
from belnlp.nlp.pipeline import build_nlp
from belnlp.run.process import process_articles
nlp = build_nlp()
start = time.perf_counter()
results = list(process_articles(read_articles([sys.argv[1]]), nlp))
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def run(workdir: Path, repeat: int = 5) -> tuple[list[str], list[str]]:
    """Report lines and summary lines."""
    article = workdir / "short-article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = workdir / "short-claims.jsonl"
    help_seconds = median_seconds(belnlp("--help"), repeat)
    load = median_seconds([sys.executable, "-c", f"import spacy; spacy.load({MODEL!r})"],
                          repeat)
    extract = median_seconds(belnlp("extract", str(article), "-o", str(out), "-q"), repeat)
    processing = min(python_json(PROCESS_ONE, str(article))["seconds"] for _ in range(repeat))
    ratio = (extract - processing) / load
    lines = [
        f"start-up: medians of {repeat} runs",
        f"  belnlp --help                             {help_seconds:6.3f} s  (target <= 0.2)",
        f"  python -c 'import spacy; spacy.load()'   {load:6.3f} s",
        f"  belnlp extract <one short article>        {extract:6.3f} s",
        f"  of which processing the article           {processing:6.3f} s",
        f"  (extract - processing) / spacy.load       {ratio:6.3f}    (target <= 1.3)",
    ]
    summary = [f"belnlp --help: {help_seconds:.3f} s (target <= 0.2); one-article extract "
               f"start-up / spacy.load: {ratio:.2f} (target <= 1.3)"]
    return lines, summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        print("\n".join(run(Path(folder), options.repeat)[0]))
