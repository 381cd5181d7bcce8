"""Signal validation: staleness, known model and symbol, confidence, OOD, direction.

The schema itself is already checked: a `Signal` only exists once its `Envelope` decoded.
Duplicate ids are refused by `DecisionStore.record_decision` (claim and decision in one
transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from signal_schema import RuleVerdict, Signal


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """What validation compares a signal with."""

    now: datetime
    max_age_secs: float
    min_confidence: float
    max_ood_score: float
    models: frozenset[str]
    symbols: frozenset[str]


SignalCheck = Callable[[Signal, ValidationContext], RuleVerdict]


def _verdict(rule: str, passed: bool, reason: str) -> RuleVerdict:
    return RuleVerdict(rule=rule, passed=passed, reason=reason)


def fresh(signal: Signal, ctx: ValidationContext) -> RuleVerdict:
    """Refuse a signal older than the staleness limit (or from the future) on `ctx.now`."""
    age = (ctx.now - signal.ts_event).total_seconds()
    if age < -ctx.max_age_secs:
        return _verdict("fresh", False, f"signal is {-age:.0f}s in the future")
    passed = age <= ctx.max_age_secs
    return _verdict("fresh", passed, f"age {age:.0f}s (limit {ctx.max_age_secs:.0f}s)")


def known_model(signal: Signal, ctx: ValidationContext) -> RuleVerdict:
    """Refuse a model not configured (an empty list accepts every model)."""
    name = signal.model.name
    passed = not ctx.models or name in ctx.models
    return _verdict("known_model", passed, f"model {name} {'known' if passed else 'unknown'}")


def known_symbol(signal: Signal, ctx: ValidationContext) -> RuleVerdict:
    """Refuse a symbol outside the pairlist."""
    passed = signal.symbol in ctx.symbols
    reason = f"{signal.symbol} {'in' if passed else 'not in'} the pairlist"
    return _verdict("known_symbol", passed, reason)


def confident(signal: Signal, ctx: ValidationContext) -> RuleVerdict:
    """Refuse a signal below the confidence threshold."""
    passed = signal.confidence >= ctx.min_confidence
    reason = f"confidence {signal.confidence:.3f} (min {ctx.min_confidence:.3f})"
    return _verdict("confidence", passed, reason)


def in_distribution(signal: Signal, ctx: ValidationContext) -> RuleVerdict:
    """Refuse a signal flagged out of distribution or above the OOD score limit."""
    passed = not signal.ood_flag and signal.ood_score <= ctx.max_ood_score
    score, limit = signal.ood_score, ctx.max_ood_score
    reason = f"OOD score {score:.3f} (max {limit:.3f}), flag {signal.ood_flag}"
    return _verdict("ood", passed, reason)


def actionable(signal: Signal, _ctx: ValidationContext) -> RuleVerdict:
    """Refuse ``flat``: it asks for no trade."""
    passed = signal.direction != "flat"
    return _verdict("actionable", passed, f"direction {signal.direction}")


CHECKS: dict[str, SignalCheck] = {
    "fresh": fresh,
    "known_model": known_model,
    "known_symbol": known_symbol,
    "confidence": confident,
    "ood": in_distribution,
    "actionable": actionable,
}
"""Every validation check by name, in the order they run."""


def validate_signal(signal: Signal, ctx: ValidationContext) -> tuple[RuleVerdict, ...]:
    """Return every check's verdict on `signal` (all of them, so a refusal names each cause)."""
    return tuple(check(signal, ctx) for check in CHECKS.values())
