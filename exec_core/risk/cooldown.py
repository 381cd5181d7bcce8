"""Cooldown after a loss: no new entry on the symbol until it has passed."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "loss_cooldown"


def check(ctx: RiskContext, limits: RiskSection) -> RuleVerdict:
    """Refuse entries within ``loss_cooldown_secs`` of the symbol's last losing exit."""
    if not ctx.entry:
        return exit_allowed(RULE)
    if ctx.last_loss_at is None:
        return verdict(RULE, True, "no recent loss")
    since = (ctx.now - ctx.last_loss_at).total_seconds()
    passed = since >= limits.loss_cooldown_secs
    cooldown = limits.loss_cooldown_secs
    return verdict(RULE, passed, f"last loss {since:.0f}s ago (cooldown {cooldown:.0f}s)")
