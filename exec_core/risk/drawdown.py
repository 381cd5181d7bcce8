"""Portfolio drawdown cap: entries halt while equity is too far below its peak."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, drawdown_pct, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "portfolio_drawdown"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse entries while the portfolio's drawdown is at or above the cap."""
    if not ctx.entry:
        return exit_allowed(RULE)
    dd = drawdown_pct(ctx.peak_equity, ctx.equity)
    cap = limits.max_drawdown_pct
    return verdict(RULE, dd < cap, f"portfolio drawdown {dd:.2f}% (cap {cap}%)")
