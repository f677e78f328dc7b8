"""The CaRB scorer on a two-sentence example computed by hand."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from carb_score import (  # noqa: E402
    Extraction,
    match,
    read_gold,
    read_predictions,
    score,
    sentence_key,
    write_predictions,
)

SENT_A = "Belarus relies on Russian gas ."
SENT_B = "Minsk hosted talks in 2015 ."

GOLD = {
    sentence_key(SENT_A): [
        Extraction("relies on", ("Belarus", "Russian gas")),
        Extraction("is", ("gas", "Russian")),
    ],
    sentence_key(SENT_B): [Extraction("hosted", ("Minsk", "talks", "in 2015"))],
}

P1 = Extraction("relies", ("Belarus", "on Russian gas"), 0.9)
P2 = Extraction("relies on", ("Russia", "gas"), 0.5)
P3 = Extraction("hosted", ("Minsk", "talks", "in 2015"), 0.7)
P4 = Extraction("hosted", ("talks", "."), 0.5)
PREDICTED = {sentence_key(SENT_A): [P1, P2], sentence_key(SENT_B): [P3, P4]}


def test_pair_match_counts_tokens_per_slot():
    # relation 1 of {relies, on}; arg1 1/1; rest {Russian, gas} inside {on, Russian, gas}
    assert match(GOLD[sentence_key(SENT_A)][0], P1) == pytest.approx((4 / 5, 4 / 5))
    # no shared relation token, or no shared first-argument token: no match
    assert match(GOLD[sentence_key(SENT_A)][1], P1) == (0.0, 0.0)
    assert match(GOLD[sentence_key(SENT_A)][0], P2) == (0.0, 0.0)
    assert match(GOLD[sentence_key(SENT_B)][0], P3) == (1.0, 1.0)


def test_curve_f1_and_auc_by_hand():
    result = score(GOLD, PREDICTED)
    # threshold 0.9: {P1}           P = 0.8/1,       R = 0.8/3
    # threshold 0.7: {P1, P3}       P = 1.8/2,       R = 1.8/3
    # threshold 0.5: all four       P = (0.8+0+1+0)/4, R = 1.8/3
    expected = [(0.9, 0.8, 0.8 / 3), (0.7, 0.9, 0.6), (0.5, 0.45, 0.6)]
    assert [pt[0] for pt in result.curve] == [0.9, 0.7, 0.5]
    for got, want in zip(result.curve, expected, strict=True):
        assert got == pytest.approx(want)
    assert result.f1 == pytest.approx(2 * 0.9 * 0.6 / 1.5)  # 0.72 at threshold 0.7
    assert (result.precision, result.recall, result.threshold) == pytest.approx((0.9, 0.6, 0.7))
    # trapezoids from (0, 0.8): 0.8/3 * 0.8 + (0.6 - 0.8/3) * (0.8 + 0.9) / 2 + 0
    assert result.auc == pytest.approx(0.8 / 3 * 0.8 + (0.6 - 0.8 / 3) * 0.85)


def test_precision_pairs_one_to_one():
    dup = {sentence_key(SENT_B): [P3, Extraction(P3.relation, P3.args, 0.7)]}
    result = score({sentence_key(SENT_B): GOLD[sentence_key(SENT_B)]}, dup)
    assert (result.precision, result.recall) == pytest.approx((0.5, 1.0))


def test_files_round_trip(tmp_path):
    gold_file = tmp_path / "gold.tsv"
    gold_file.write_text(
        f"{SENT_B}\thosted\tMinsk\ttalks\tC: he said\n{SENT_B}\thosted\tMinsk\ttalks\tT: in 2015\n",
        encoding="utf-8",
    )
    gold = read_gold(gold_file)
    assert gold == {
        "Minskhostedtalksin2015": [
            Extraction("hosted", ("Minsk", "talks")),
            Extraction("hosted", ("Minsk", "talks", "T: in 2015")),
        ]
    }
    pred_file = tmp_path / "pred.tsv"
    write_predictions(pred_file, [("Minsk hosted talks in 2015.", P3)])
    assert read_predictions(pred_file) == {"Minskhostedtalksin2015": [P3]}
