"""Cost of the reference layer: resolve() against nlp.pipe over the same documents, in one run.

The documents are parsed once by the full pipeline; then resolve() runs over the parsed Docs.
Both are timed in CPU seconds (steadier than wall time on a shared machine) and the script
prints the ratio, whose target is at most 0.05 (issue 12: extract's throughput may drop by
5% at most). Texts are the shipped corpus and the gold documents, repeated.

    python benchmarks/bench_references.py [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from belnlp.gold.goldset import read_gold
from belnlp.nlp.extract.references import CONTEXT_CATEGORIES, resolve
from belnlp.nlp.pipeline import build_nlp

ROOT = Path(__file__).parents[1]
TARGET = 0.05


def texts(repeat: int) -> list[str]:
    corpus = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus").glob("*.txt"))]
    gold = [document.text for document in read_gold([ROOT / "tests" / "gold"])]
    return (corpus + gold) * repeat


def run(repeat: int) -> dict[str, float]:
    nlp = build_nlp()
    inputs = texts(repeat)
    start = time.process_time()
    docs = list(nlp.pipe(inputs, batch_size=32))
    pipe = time.process_time() - start
    start = time.process_time()
    references = sum(len(resolve(doc, doc._.belnlp_evidence,
                                 context_categories=CONTEXT_CATEGORIES).items) for doc in docs)
    cost = time.process_time() - start
    return {"documents": len(docs), "tokens": sum(len(doc) for doc in docs),
            "references": references, "pipe_cpu": round(pipe, 3),
            "resolve_cpu": round(cost, 3), "ratio": round(cost / pipe, 4), "target": TARGET}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    print(json.dumps(run(parser.parse_args().repeat)))


if __name__ == "__main__":
    main()
