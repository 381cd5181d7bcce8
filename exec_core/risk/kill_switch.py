"""Kill switch: while engaged, no new entry passes."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "kill_switch"


def check(ctx: RiskContext, _limits: RiskSection) -> RuleVerdict:
    """Refuse entries while the kill switch is engaged."""
    if not ctx.entry:
        return exit_allowed(RULE)
    if ctx.kill_switch:
        return verdict(RULE, False, "kill switch engaged: entries halted")
    return verdict(RULE, True, "kill switch released")
