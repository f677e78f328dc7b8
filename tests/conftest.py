"""Shared fixtures: one belnlp pipeline per test session (loading the model is the slow part)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "corpus" / "belarus-strategic-choices.txt"


@pytest.fixture(scope="session")
def nlp():
    from belnlp.nlp.pipeline import build_nlp

    return build_nlp()
