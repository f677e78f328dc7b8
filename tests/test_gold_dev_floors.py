"""The real pipeline on gold-dev, the eight real articles beside the checkout
(../shared/gold-dev/gold/): military and economic scores must not fall below their floors.

Military and economic follow from document context on real text ("these systems" after a
sentence on missiles), so these floors guard the reference layer and the general category
rules together. Floors sit a little below the scores measured when they were set (in the
comments); raise them when extraction gets better. Skipped only where gold-dev is absent.
"""

from pathlib import Path

import pytest

from belnlp.gold.evaluate import evaluate, total
from belnlp.gold.goldset import gold_articles, read_gold
from belnlp.run.process import process_articles

GOLD_DEV = Path(__file__).parents[1].parent / "shared" / "gold-dev" / "gold"

# category: (F1, precision)
FLOORS = {
    "military": (0.89, 0.90),  # measured 0.910, 0.922 (before the reference layer: 0.800, 0.911)
    "economic": (0.92, 0.90),  # measured 0.936, 0.919 (before: 0.890, 0.919)
}


@pytest.fixture(scope="module")
def overall(nlp):
    if not GOLD_DEV.is_dir():
        pytest.skip(f"{GOLD_DEV} is absent")
    documents = read_gold([GOLD_DEV])
    predictions = {result.article.doc_id: [claim.to_record() for claim in result.claims]
                   for result in process_articles(gold_articles(documents), nlp)}
    return total(evaluate(documents, predictions, nlp))


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_category_scores_stay_above_the_floors(overall, category):
    score = overall.categories[category]
    f1_floor, precision_floor = FLOORS[category]
    assert score.f1 >= f1_floor, f"{category} F1 {score.f1:.3f} < {f1_floor}"
    assert score.precision >= precision_floor, (
        f"{category} precision {score.precision:.3f} < {precision_floor}")
