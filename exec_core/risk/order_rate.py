"""Order-rate limit: at most ``max_orders`` in any ``order_window_secs``."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, verdict
from signal_schema import RuleVerdict

RULE = "order_rate"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse any order (exits too: a runaway loop is refused) over the rate limit."""
    window = limits.order_window_secs
    recent = sum(1 for t in ctx.order_times if (ctx.now - t).total_seconds() < window)
    passed = recent < limits.max_orders
    return verdict(RULE, passed, f"{recent} orders in {window:.0f}s (max {limits.max_orders})")
