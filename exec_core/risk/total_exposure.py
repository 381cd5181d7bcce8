"""Total (gross) exposure limit, in percent of equity."""

from __future__ import annotations

from exec_core.risk.context import HUNDRED, RiskContext, RiskSection, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "total_exposure"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse an entry that would take gross exposure over its limit."""
    if not ctx.entry:
        return exit_allowed(RULE)
    limit = ctx.equity * limits.max_total_exposure_pct / HUNDRED
    after = ctx.total_exposure + ctx.proposed_notional
    passed = after <= limit and ctx.total_exposure < limit
    return verdict(RULE, passed, f"gross exposure {after:.2f} (limit {limit:.2f})")
