"""Extract's output on fixed corpora is byte-identical to the stored digests.

Speed work must not change a byte. A change meant to alter the output regenerates the digests
on purpose: `python benchmarks/output_digest.py --write`.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from output_digest import CORPORA, corpus_texts, digests, stored  # noqa: E402


@pytest.mark.parametrize("name", CORPORA)
def test_extract_output_matches_the_stored_digest(name, tmp_path):
    if not corpus_texts(name):
        pytest.skip(f"the {name} corpus is absent from this checkout")
    assert digests(name, tmp_path) == stored()[name]
