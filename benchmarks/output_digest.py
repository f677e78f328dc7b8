"""The SHA-256 digests of `belnlp extract` output on a fixed corpus, to prove speed work exact.

Two corpora, one JSONL record per article: "repo", every article text of corpus/ and
tests/gold/ (make_corpus.source_texts), and "gold-dev", the texts of ../shared/gold-dev/texts/
(read at run time, absent outside the team's checkout). tests/test_output_digest.py
compares a fresh run with the stored digests in tests/fixtures/output_digest.json. A change
meant to alter the output (a new rule, field or layer) regenerates them on purpose:

    python benchmarks/output_digest.py          # print the current digests
    python benchmarks/output_digest.py --write  # store them
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path

from make_corpus import GOLD_DEV_TEXTS, ROOT, source_texts

STORED = ROOT / "tests" / "fixtures" / "output_digest.json"
CORPORA = ("repo", "gold-dev")


def corpus_texts(name: str) -> list[str]:
    """The texts of one fixed corpus; empty when its folder is absent."""
    if name == "repo":
        return source_texts(ROOT)
    return [path.read_text(encoding="utf-8") for path in sorted(GOLD_DEV_TEXTS.glob("*.txt"))]


def digests(name: str, workdir: Path) -> dict[str, str]:
    """Run extract in this process on one fixed corpus; the digest of each output file."""
    from typer.testing import CliRunner

    from belnlp.cli import app

    inputs = workdir / f"{name}-inputs.jsonl"
    with inputs.open("w", encoding="utf-8") as handle:
        for index, text in enumerate(corpus_texts(name)):
            handle.write(json.dumps({"id": f"{name}-{index:03d}", "text": text},
                                    ensure_ascii=False) + "\n")
    claims = workdir / f"{name}.jsonl"
    done = CliRunner().invoke(app, ["extract", str(inputs), "-o", str(claims), "-q"])
    if done.exit_code != 0:
        raise RuntimeError(f"extract failed ({done.exit_code}): {done.output}")
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (claims, workdir / f"{name}.documents.jsonl")}


def stored() -> dict[str, str]:
    return json.loads(STORED.read_text(encoding="utf-8"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"Store the digests in {STORED}.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="belnlp-digest-") as folder:
        found = {name: digests(name, Path(folder)) for name in CORPORA if corpus_texts(name)}
    text = json.dumps(found, indent=2) + "\n"
    if options.write:
        STORED.write_text(text, encoding="utf-8")
    print(text, end="")
