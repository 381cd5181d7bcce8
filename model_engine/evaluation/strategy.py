"""Long/flat strategy with turnover control, its rule chosen on the validation period only.

A `Rule` enters long when the score rises above ``enter``, and leaves when it falls below ``exit``
(``exit <= enter``: hysteresis) once the position has been held for at least ``min_hold`` bars.
Decisions are taken every ``cadence`` bars (the label horizon) and the position is kept between
decisions. The same candidate grid is searched for every model, baselines included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from model_engine.evaluation import metrics as m
from model_engine.evaluation.models import FloatArray


@dataclass(frozen=True)
class Rule:
    """Thresholds on the score and holding constraints (see the module docstring)."""

    enter: float
    exit: float
    min_hold: int = 1
    cadence: int = 1
    always_long: bool = False

    def describe(self) -> dict[str, float | int | bool]:
        """Return the rule as JSON-ready numbers."""
        return {
            "enter": round(self.enter, 6),
            "exit": round(self.exit, 6),
            "min_hold": self.min_hold,
            "cadence": self.cadence,
            "always_long": self.always_long,
        }


ALWAYS_LONG = Rule(0.0, 0.0, always_long=True)


def positions(score: FloatArray, rule: Rule) -> FloatArray:
    """Return the 0/1 position held over the bar after each row (starting flat)."""
    out = np.zeros(score.size, dtype=np.float64)
    if rule.always_long:
        out[:] = 1.0
        return out
    held, since = 0.0, 0
    for t, value in enumerate(score.tolist()):
        since += 1
        if t % rule.cadence == 0:
            if held == 0.0 and value > rule.enter:
                held, since = 1.0, 0
            elif held == 1.0 and since >= rule.min_hold and value < rule.exit:
                held = 0.0
        out[t] = held
    return out


def candidates(
    score: FloatArray,
    horizon: int,
    enter_quantiles: tuple[float, ...],
    exit_gaps: tuple[float, ...],
    hold_multiples: tuple[int, ...],
) -> list[Rule]:
    """Return the rule grid built from quantiles of a (validation) score.

    Enter thresholds: 0 and the `enter_quantiles` (0 means 0 itself). Exit thresholds: the
    quantile ``q_enter - gap`` for each gap (0 gap: no hysteresis; ``q <= 0`` means 0). Minimum
    holds: `hold_multiples` times the horizon. Decisions every `horizon` bars.
    """

    def level(q: float) -> float:
        return float(np.quantile(score, q)) if q > 0 and score.size else 0.0

    rules: list[Rule] = []
    for q_enter in (0.0, *(q for q in enter_quantiles if q > 0)):
        enter = level(q_enter)
        exits = sorted({min(enter, level(q_enter - gap)) for gap in exit_gaps}, reverse=True)
        for exit_level in exits:
            for multiple in hold_multiples:
                rules.append(Rule(enter, exit_level, multiple * horizon, horizon))
    return rules


def choose_rule(
    score: FloatArray,
    bar_return: FloatArray,
    rules: list[Rule],
    fee: float,
    periods_per_year: float,
) -> Rule:
    """Return the rule of `rules` with the best net Sharpe on this (validation) period.

    Ties keep the earlier rule; when no rule has a defined Sharpe, the first one.
    """
    best, best_sharpe = rules[0], -math.inf
    for rule in rules:
        value = m.sharpe(m.net_returns(positions(score, rule), bar_return, fee), periods_per_year)
        if value is not None and value > best_sharpe:
            best, best_sharpe = rule, value
    return best


__all__ = ["ALWAYS_LONG", "Rule", "candidates", "choose_rule", "positions"]
