"""Throughput: `belnlp extract` against bare nlp.pipe over the same texts, and 2 processes vs 1.

Bare pipeline is build_nlp()'s nlp.pipe (the same model and components) with no claim
building and no writing; bare model is the spaCy model alone. Both time nlp.pipe only, in a
fresh process. Extract's steady-state time is its wall time on the N documents minus its wall
time on one document (interpreter start, imports, model load), so all rates count the same
work; the end-to-end rate, start-up included, is printed beside it. Every rate is given in
wall-clock time and in CPU time: on a machine that other programs share, CPU time is the
steadier measure of work, wall time the one that shows parallelism. For comparison, the
library's process_articles is timed with spaCy's own nlp.pipe(n_process=2) against 1.

    python benchmarks/bench_throughput.py [--documents N] [--repeat R]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from make_corpus import write_corpus
from measure import belnlp, python_json
from measure import run as run_command

BARE = """
import json, sys, time
from belnlp.nlp.pipeline import build_nlp, load_model
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = build_nlp() if sys.argv[2] == "pipeline" else load_model()
start, cpu = time.perf_counter(), time.process_time()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))
print(json.dumps({"tokens": tokens, "seconds": time.perf_counter() - start,
                  "cpu": time.process_time() - cpu}))
"""
SPACY_PROCESSES = """
import json, sys, time
from belnlp.ingest.articles import read_articles
from belnlp.nlp.pipeline import build_nlp
from belnlp.run.process import process_articles
nlp = build_nlp()
seconds = {}
for n in (1, 2):
    start = time.perf_counter()
    for _ in process_articles(read_articles([sys.argv[1]]), nlp, n_process=n):
        pass
    seconds[n] = time.perf_counter() - start
print(json.dumps(seconds))
"""


def timings(corpus: Path, one: Path, out: Path) -> dict[str, tuple[float, float]]:
    """One round of every measurement: (wall seconds, CPU seconds) by name."""
    extract = belnlp("extract", "-o", str(out), "-q")
    found = {}
    for kind in ("model", "pipeline"):
        bare = python_json(BARE, str(corpus), kind)
        found[kind] = (bare["seconds"], bare["cpu"])
    for name, options in (("extract", []), ("extract2", ["--n-process", "2"])):
        for suffix, inputs in (("", corpus), ("_one", one)):
            done = run_command([*extract, *options, str(inputs)])
            found[name + suffix] = (done.seconds, done.cpu_seconds)
    return found


def tokens_of(corpus: Path) -> int:
    return python_json(BARE, str(corpus), "model")["tokens"]


def run(workdir: Path, documents: int = 500, repeat: int = 3) -> tuple[list[str], list[str]]:
    """Report lines and summary lines. Rounds are interleaved so that a slow spell on the
    machine does not fall on one measurement only; each keeps its fastest round."""
    corpus = write_corpus(workdir / f"throughput-{documents}.jsonl", documents)
    one = write_corpus(workdir / "throughput-1.jsonl", 1)
    out = workdir / "throughput-claims.jsonl"
    tokens = tokens_of(corpus)
    rounds = [timings(corpus, one, out) for _ in range(repeat)]
    wall = {name: min(r[name][0] for r in rounds) for name in rounds[0]}
    cpu = {name: min(r[name][1] for r in rounds) for name in rounds[0]}
    spacy_mp = python_json(SPACY_PROCESSES, str(corpus))

    def rates(t: dict[str, float]) -> dict[str, float]:
        return {"model": tokens / t["model"], "pipeline": tokens / t["pipeline"],
                "extract": tokens / (t["extract"] - t["extract_one"]),
                "extract_e2e": tokens / t["extract"],
                "extract2": tokens / (t["extract2"] - t["extract2_one"]),
                "extract2_e2e": tokens / t["extract2"]}

    w, c = rates(wall), rates(cpu)
    overhead = w["extract"] / w["pipeline"], c["extract"] / c["pipeline"]
    speedup = w["extract2"] / w["extract"]
    cpu_cost = c["extract"] / c["extract2"]

    def row(label: str, key: str) -> str:
        return f"  {label:<40} {w[key]:9,.0f} {c[key]:11,.0f}"

    lines = [
        f"throughput: {documents} documents, {tokens:,} tokens, best of {repeat} "
        "interleaved rounds",
        f"  {'tokens per second of':<40} {'wall':>9} {'CPU time':>11}",
        row("bare model (spaCy only), nlp.pipe", "model"),
        row("bare pipeline (build_nlp), nlp.pipe", "pipeline"),
        row("belnlp extract, steady state", "extract"),
        row("belnlp extract, end to end", "extract_e2e"),
        f"  {'extract / bare pipeline':<40} {overhead[0]:9.3f} {overhead[1]:11.3f}"
        "  (target >= 0.90)",
        f"  {'extract / bare model':<40} {w['extract'] / w['model']:9.3f} "
        f"{c['extract'] / c['model']:11.3f}",
        f"  {'bare pipeline / bare model':<40} {w['pipeline'] / w['model']:9.3f} "
        f"{c['pipeline'] / c['model']:11.3f}  (cost of belnlp's components)",
        row("belnlp extract --n-process 2, steady", "extract2"),
        row("belnlp extract --n-process 2, end to end", "extract2_e2e"),
        f"  2 processes / 1 process, wall: {speedup:.2f}x (target >= 1.85; end to end "
        f"{wall['extract'] / wall['extract2']:.2f}x)",
        f"  CPU time of 2 processes / 1 process: {cpu_cost:.2f} (the cost of splitting "
        "the work)",
        f"  for comparison, spaCy nlp.pipe(n_process=2) in process_articles: "
        f"{spacy_mp['1'] / spacy_mp['2']:.2f}x",
    ]
    summary = [f"overhead ratio extract / bare pipeline: {overhead[0]:.3f} wall, "
               f"{overhead[1]:.3f} CPU time (target >= 0.90)",
               f"2-process speed-up: {speedup:.2f}x wall (target >= 1.85; CPU time "
               f"{cpu_cost:.2f}x that of one process)"]
    return lines, summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        print("\n".join(run(Path(folder), options.documents, options.repeat)[0]))
