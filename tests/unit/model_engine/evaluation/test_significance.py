"""Paired lead intervals: none between equals, a clear lead is seen, bad input refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model_engine.evaluation.significance import rank_ic_difference, sharpe_difference

HOURS = 24 * 365.0


def _returns(seed: int, size: int = 20_000) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, 0.01, size)


def test_identical_strategies_have_no_lead() -> None:
    net = _returns(1)
    out = sharpe_difference(net, net.copy(), HOURS, draws=200)
    assert out["diff"] == 0.0
    assert out["low"] == 0.0
    assert out["high"] == 0.0
    assert out["p_ahead"] == 0.0


def test_a_strong_lead_is_outside_the_interval_and_the_draws_agree() -> None:
    noise = _returns(2)
    ahead, behind = noise + 0.002, noise - 0.002
    out = sharpe_difference(ahead, behind, HOURS, draws=300)
    assert out["diff"] is not None
    assert out["diff"] > 0
    assert out["low"] is not None
    assert out["low"] > 0
    assert out["p_ahead"] == 1.0


def test_an_unrelated_pair_has_an_interval_around_its_difference() -> None:
    out = sharpe_difference(_returns(3), _returns(4), HOURS, draws=300)
    assert out["low"] is not None
    assert out["high"] is not None
    assert out["low"] < out["diff"] < out["high"]  # type: ignore[operator]
    assert 0.0 < out["p_ahead"] < 1.0  # type: ignore[operator]


def test_the_bootstrap_is_seeded() -> None:
    a, b = _returns(5), _returns(6)
    assert sharpe_difference(a, b, HOURS, draws=100) == sharpe_difference(a, b, HOURS, draws=100)


def test_series_of_different_length_are_refused() -> None:
    with pytest.raises(ValueError, match="same bars"):
        sharpe_difference(_returns(1, 100), _returns(1, 99), HOURS)


def test_rank_ic_lead_is_a_t_interval_over_quarters() -> None:
    out = rank_ic_difference([0.1, 0.2, 0.3, None], [0.0, 0.0, 0.0, 0.05])
    assert out["quarters"] == 3
    assert out["diff"] == pytest.approx(0.2)
    half = 4.302652729911275 * 0.1 / math.sqrt(3)  # t(0.975, 2) * sd / sqrt(n)
    assert out["low"] == pytest.approx(0.2 - half)
    assert out["high"] == pytest.approx(0.2 + half)


def test_rank_ic_lead_needs_two_quarters() -> None:
    assert rank_ic_difference([0.1], [0.0])["diff"] is None
