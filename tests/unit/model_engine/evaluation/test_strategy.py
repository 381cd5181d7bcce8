"""Turnover control: hysteresis, minimum hold, decision cadence, rule chosen on validation."""

from __future__ import annotations

import numpy as np

from model_engine.evaluation.strategy import (
    ALWAYS_LONG,
    Rule,
    candidates,
    choose_rule,
    positions,
)


def test_hysteresis_enters_above_and_exits_below() -> None:
    score = np.array([0.0, 0.6, 0.4, 0.2, 0.05, 0.3, 0.7])
    held = positions(score, Rule(enter=0.5, exit=0.1))
    assert held.tolist() == [0, 1, 1, 1, 0, 0, 1]
    assert positions(score, Rule(enter=0.5, exit=0.5)).tolist() == [0, 1, 0, 0, 0, 0, 1]


def test_minimum_hold_and_cadence() -> None:
    score = np.array([1.0, -1.0, -1.0, -1.0, -1.0, 1.0])
    assert positions(score, Rule(0.5, 0.5, min_hold=3)).tolist() == [1, 1, 1, 0, 0, 1]
    # decisions only every 2 bars: bar 1's signal is not acted on until bar 2
    late = positions(np.array([-1.0, 1.0, 1.0, -1.0, -1.0]), Rule(0.5, 0.5, cadence=2))
    assert late.tolist() == [0, 0, 1, 1, 0]
    assert positions(score, ALWAYS_LONG).tolist() == [1.0] * 6


def test_candidates_cover_hysteresis_and_holds() -> None:
    score = np.linspace(-1, 1, 101)
    rules = candidates(score, 4, (0.5, 0.9), (0.0, 0.4), (1, 6))
    assert all(rule.exit <= rule.enter and rule.cadence == 4 for rule in rules)
    assert {rule.min_hold for rule in rules} == {4, 24}
    assert any(rule.exit < rule.enter for rule in rules)


def test_rule_with_fewer_trades_wins_when_fees_dominate() -> None:
    rng = np.random.default_rng(0)
    score = rng.standard_normal(2000)  # pure noise: trading on it only pays fees
    bar_return = 0.0005 + 0.001 * rng.standard_normal(2000)
    rules = candidates(score, 1, (0.5,), (0.0, 0.4), (1, 24))
    best = choose_rule(score, bar_return, rules, 0.001, 8760.0)
    churn = np.abs(np.diff(positions(score, best))).sum()
    assert churn < np.abs(np.diff(positions(score, rules[0]))).sum()
