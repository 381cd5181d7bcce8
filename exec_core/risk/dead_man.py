"""Dead-man switch: entries halt when model_engine's heartbeat stops."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "dead_man"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse entries when no model_engine heartbeat came within the timeout."""
    if not ctx.entry:
        return exit_allowed(RULE)
    age, limit = ctx.heartbeat_age_secs, limits.heartbeat_timeout_secs
    if age is None:
        return verdict(RULE, False, "no model_engine heartbeat seen yet")
    passed = age <= limit
    return verdict(RULE, passed, f"model_engine heartbeat {age:.1f}s ago (limit {limit:.0f}s)")
