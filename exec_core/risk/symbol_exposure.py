"""Exposure limit per symbol, in percent of equity."""

from __future__ import annotations

from exec_core.risk.context import HUNDRED, RiskContext, RiskSection, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "symbol_exposure"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse an entry that would take the symbol's exposure over its limit."""
    if not ctx.entry:
        return exit_allowed(RULE)
    limit = ctx.equity * limits.max_symbol_exposure_pct / HUNDRED
    after = ctx.symbol_exposure + ctx.proposed_notional
    passed = after <= limit and ctx.symbol_exposure < limit
    return verdict(RULE, passed, f"{ctx.symbol} exposure {after:.2f} (limit {limit:.2f})")
