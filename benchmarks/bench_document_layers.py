"""Cost of issue 12's document layers: extraction with and without them, in one process.

The layers are the name shapes, the gazetteer, the state organs and the label vote (after
the entity ruler), and the meta check on claim sentences. Both pipelines come from the same
build_nlp(); the "without" run disables the four components and the meta check, so the
ratio counts only their work. Runs alternate and the best CPU time of each is kept, because
other jobs on a shared machine slow single runs.

    python benchmarks/bench_document_layers.py [--documents N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from unittest import mock

from make_corpus import write_corpus

from belnlp.ingest.articles import Article, read_articles
from belnlp.nlp.pipeline import build_nlp
from belnlp.run.process import process_articles

LAYERS = ("belnlp_name_shapes", "belnlp_gazetteer", "belnlp_body_states", "belnlp_label_vote")


def cpu_seconds(nlp, articles, *, layers: bool) -> float:
    """CPU time of process_articles over the articles, with or without the layers."""
    start = time.process_time()
    if layers:
        claims = sum(len(r.claims) for r in process_articles(articles, nlp))
    else:
        with nlp.select_pipes(disable=list(LAYERS)), \
                mock.patch("belnlp.nlp.extract.claims.is_meta", return_value=False):
            claims = sum(len(r.claims) for r in process_articles(articles, nlp))
    assert claims
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    nlp = build_nlp()
    with tempfile.TemporaryDirectory() as workdir:
        corpus = write_corpus(Path(workdir) / "corpus.jsonl", args.documents)
        articles = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)]
    cpu_seconds(nlp, articles[:5], layers=True)  # warm-up: lazy tables, caches
    best = {True: float("inf"), False: float("inf")}
    for _ in range(args.repeat):
        for layers in (False, True):
            best[layers] = min(best[layers], cpu_seconds(nlp, articles, layers=layers))
    ratio = best[False] / best[True]
    print(json.dumps({"documents": len(articles), "cpu_without": round(best[False], 3),
                      "cpu_with": round(best[True], 3),
                      "throughput_with_vs_without": round(ratio, 3)}))
    print(f"throughput with the document layers: {ratio:.3f} of without (target >= 0.95)")


if __name__ == "__main__":
    main()
