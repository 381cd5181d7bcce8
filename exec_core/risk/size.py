"""Minimum size: the proposed order must be worth at least ``min_notional``."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, verdict
from signal_schema import RuleVerdict

RULE = "min_size"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse an order smaller than the minimum notional (or an exit with nothing held)."""
    if not ctx.entry and ctx.position_quantity <= 0:
        return verdict(RULE, False, f"spot: no {ctx.symbol} position to sell")
    passed = ctx.proposed_notional >= limits.min_notional and ctx.proposed_notional > 0
    reason = f"notional {ctx.proposed_notional:.2f} (min {limits.min_notional})"
    return verdict(RULE, passed, reason)
