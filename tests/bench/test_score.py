"""The fate scorer: per-fate precision/recall/F1 and the confusion matrix, on hand-counted rows."""

import pytest

from bench.score import NONE, Score


def test_counts_by_key_and_fate():
    score = Score()
    gold = [(0, 0, "survived"), (1, 1, "changed"), (2, None, "disappeared"), (None, 2, "appeared")]
    predicted = [(0, 0, "survived"), (1, 1, "moved"), (2, 2, "changed")]
    score.add(gold, predicted)
    assert score.prf("survived") == (1.0, 1.0, 1.0, 1)
    assert score.prf("changed") == (0.0, 0.0, 0.0, 1)  # the only predicted `changed` has no gold key
    assert score.prf("disappeared") == (0.0, 0.0, 0.0, 1)
    assert score.confusion[("changed", "moved")] == 1
    assert score.confusion[("disappeared", NONE)] == score.confusion[(NONE, "changed")] == 1
    assert score.macro_f1() == pytest.approx(1 / 4)  # survived 1, changed 0, disappeared 0, appeared 0


def test_scores_accumulate_over_pairs_and_render_as_tables():
    score = Score()
    score.add([(0, 0, "split"), (0, 1, "split")], [(0, 0, "split"), (0, 1, "split")])
    score.add([(0, 0, "split"), (0, 1, "split")], [(0, 0, "changed"), (None, 1, "appeared")])
    p, r, f1, n = score.prf("split")
    assert (p, r, n) == (1.0, 0.5, 4) and f1 == pytest.approx(2 / 3)
    assert score.pairs == 2
    assert "| split | 1.000 | 0.500 | 0.667 | 4 |" in score.table("x")
    assert "| split | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 1 |" in score.confusion_table("x")
