"""The real pipeline on gold-dev, the eight real articles beside the checkout (../shared/).

Floors sit a little below the scores measured when they were set (in the comments), so a
change that makes extraction of real text worse fails here; raise them when it gets better.
The set is read from the repository's parent, as in CI; the test is skipped only where that
folder is absent.
"""

from pathlib import Path

import pytest

from belnlp.gold.evaluate import evaluate, total
from belnlp.gold.goldset import gold_articles, read_gold
from belnlp.nlp.pipeline import build_nlp
from belnlp.run.process import process_articles

GOLD_DEV = Path(__file__).parents[1].parent / "shared" / "gold-dev" / "gold"

CLAIM_F1 = 0.99  # measured 1.000
ENTITY_EXACT_F1 = 0.92  # measured 0.927
ACTOR_ACCURACY = 0.955  # measured 0.963


@pytest.fixture(scope="module")
def overall():
    if not GOLD_DEV.is_dir():
        pytest.skip(f"{GOLD_DEV} is absent")
    nlp = build_nlp()
    documents = read_gold([GOLD_DEV])
    predictions = {result.article.doc_id: [claim.to_record() for claim in result.claims]
                   for result in process_articles(gold_articles(documents), nlp)}
    return total(evaluate(documents, predictions, nlp))


def test_claims_stay_above_the_floor(overall):
    assert overall.claims.f1 >= CLAIM_F1


def test_entities_stay_above_the_floor(overall):
    assert overall.entities_exact.f1 >= ENTITY_EXACT_F1


def test_actors_stay_above_the_floor(overall):
    assert overall.actors.accuracy >= ACTOR_ACCURACY
