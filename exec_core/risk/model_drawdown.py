"""Per-model drawdown cap: one model's losses halt that model's entries only."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, drawdown_pct, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "model_drawdown"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse the model's entries while its equity curve is at or beyond its cap."""
    if not ctx.entry:
        return exit_allowed(RULE)
    dd = drawdown_pct(ctx.model_peak_equity, ctx.model_equity)
    cap = limits.max_model_drawdown_pct
    return verdict(RULE, dd < cap, f"model {ctx.model} drawdown {dd:.2f}% (cap {cap}%)")
