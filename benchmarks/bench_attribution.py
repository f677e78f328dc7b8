"""Attribution's share of extraction: the cost of the attribution layer against parsing and
claim building, measured in one process on the same parsed documents.

Each document is parsed once; then claim building is timed with the attribution layer and
with it replaced by a stub that attributes nothing, in interleaved rounds (the fastest of
each kept), in CPU time. Throughput with attribution relative to without is
(parse + claims without) / (parse + claims with).

    python benchmarks/bench_attribution.py [--documents N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

from make_corpus import write_corpus

import belnlp.nlp.extract.claims as claims_module
from belnlp.ingest.structure import analyse
from belnlp.nlp.components.claim_tagger import register_extensions
from belnlp.nlp.pipeline import build_nlp


def _nothing(doc, sentences, ents, cues=None):
    return [None] * len(sentences)


def _build_all(parsed) -> int:
    count = 0
    for doc, structure, doc_id in parsed:
        count += sum(1 for _ in claims_module.build_claims(
            doc, doc_id=doc_id, source=doc_id, title=structure.title, structure=structure,
            provenance={}))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = write_corpus(Path(folder) / "corpus.jsonl", args.documents)
        records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    nlp = build_nlp()
    register_extensions()
    structures = [analyse(record["text"], {}) for record in records]
    cpu = time.process_time()
    docs = list(nlp.pipe((record["text"] for record in records), batch_size=32))
    parse = time.process_time() - cpu
    parsed = [(doc, structure, record["id"])
              for doc, structure, record in zip(docs, structures, records, strict=True)]
    best = {"with": float("inf"), "without": float("inf")}
    for _ in range(args.repeat):
        for name in best:
            stub = mock.patch.object(claims_module, "attributions", _nothing)
            with stub if name == "without" else nullcontext():
                cpu = time.process_time()
                n_claims = _build_all(parsed)
                best[name] = min(best[name], time.process_time() - cpu)
    ratio = (parse + best["without"]) / (parse + best["with"])
    print(f"documents {len(records)}, claims {n_claims}, parse {parse:.2f} s CPU")
    print(f"claims with attribution {best['with']:.3f} s, without {best['without']:.3f} s "
          f"(attribution {best['with'] - best['without']:.3f} s)")
    print(f"throughput with attribution / without: {ratio:.3f} "
          f"({(1 - ratio) * 100:.1f}% lower)")


if __name__ == "__main__":
    main()
