"""Metric functions against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model_engine.datasets.labels import classify, flat_band
from model_engine.evaluation import metrics as m


def test_labels_and_flat_band_balance_the_training_returns() -> None:
    fwd = np.array([-0.03, -0.01, 0.0, 0.005, 0.02, 0.04])
    band = flat_band(fwd, 1 / 3)
    assert band == pytest.approx(np.quantile(np.abs(fwd), 1 / 3))
    assert classify(fwd, 0.01).tolist() == [0, 1, 1, 1, 2, 2]
    assert flat_band(fwd, 0.0) == 0.0


def test_accuracy_and_balanced_accuracy_skip_zero_returns() -> None:
    score = np.array([0.2, -0.1, 0.3, 0.1, -0.5])
    fwd = np.array([0.01, 0.02, -0.01, 0.0, -0.03])
    # moved bars: (up, up) hit, (down, up) miss, (up, down) miss, (down, down) hit
    assert m.accuracy(score, fwd) == pytest.approx(0.5)
    assert m.balanced_accuracy(score, fwd) == pytest.approx(0.5)
    always_up = np.ones(4)
    assert m.balanced_accuracy(always_up, np.array([0.1, 0.1, 0.1, -0.1])) == 0.5
    assert m.accuracy(always_up, np.array([0.1, 0.1, 0.1, -0.1])) == 0.75


def test_top_decile_takes_the_most_confident_tenth() -> None:
    score = np.array([0.9, -0.8, 0.1, 0.05, -0.02, 0.01, 0.03, -0.04, 0.02, 0.06])
    fwd = np.array([0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01])
    assert m.top_accuracy(score, fwd, 0.1) == 1.0  # only |0.9| is in
    assert m.top_accuracy(score, fwd, 0.2) == 0.5  # 0.9 right, -0.8 wrong
    assert m.top_accuracy(np.ones(10), fwd) is None


def test_rank_ic_is_spearman_and_averaged_per_fold() -> None:
    score = np.array([1.0, 2.0, 3.0, 4.0])
    assert m.rank_ic(score, np.array([0.1, 0.2, 0.3, 0.9])) == pytest.approx(1.0)
    assert m.rank_ic(score, np.array([0.9, 0.3, 0.2, 0.1])) == pytest.approx(-1.0)
    assert m.rank_ic(np.ones(4), score) is None
    folds = [score, score]
    fwds = [np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.1, 0.2, 0.4, 0.3])]
    assert m.mean_rank_ic(folds, fwds) == pytest.approx((1.0 + 0.8) / 2)


def test_fees_are_charged_on_every_position_change() -> None:
    position = np.array([1.0, 1.0, 0.0, 1.0])
    bar = np.array([0.01, 0.02, 0.03, -0.01])
    net = m.net_returns(position, bar, 0.001)
    assert net.tolist() == pytest.approx([0.009, 0.02, -0.001, -0.011])
    assert m.total_return_pct(net) == pytest.approx((1.009 * 1.02 * 0.999 * 0.989 - 1) * 100)


def test_sharpe_annualises_hourly_returns_by_sqrt_24_365() -> None:
    returns = np.array([0.01, -0.005, 0.002, 0.0])
    expected = returns.mean() / returns.std(ddof=1) * math.sqrt(24 * 365)
    assert m.sharpe(returns, 24 * 365) == pytest.approx(expected)
    assert m.sharpe(np.zeros(5), 24 * 365) is None


def test_max_drawdown_of_the_compounded_equity() -> None:
    returns = np.array([0.10, -0.20, 0.05, -0.10, 0.50])
    # equity 1.1, 0.88, 0.924, 0.8316 -> trough 0.8316 / peak 1.1 - 1
    assert m.max_drawdown_pct(returns) == pytest.approx((0.8316 / 1.1 - 1) * 100)
    assert m.max_drawdown_pct(np.array([0.01, 0.02])) == 0.0


def test_threshold_is_chosen_on_the_given_period() -> None:
    score = np.array([0.5, 0.4, -0.1, -0.2, 0.3, -0.3])
    bar = np.array([0.01, 0.01, -0.02, -0.02, 0.01, -0.02])
    threshold = m.choose_threshold(score, bar, (0.5,), 0.0, 24 * 365)
    assert threshold in (0.0, float(np.quantile(score, 0.5)))
    assert (score > threshold).tolist() == [True, True, False, False, True, False]


def test_ranks_average_ties() -> None:
    assert m.ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist() == [3.5, 1.0, 3.5, 2.0]
    assert m.rank_ic(np.array([1.0, 1.0, 2.0]), np.array([0.1, 0.2, 0.3])) == pytest.approx(
        0.8660254, rel=1e-6
    )
