"""Live gate: a live broker takes entries only from models that passed the walk-forward gate."""

from __future__ import annotations

from exec_core.risk.context import RiskContext, RiskSection, exit_allowed, verdict
from signal_schema import RuleVerdict

RULE = "live_gate"


def check(ctx: RiskContext, _limits: RiskSection) -> RuleVerdict:
    """Refuse a live entry whose model is not ``live_eligible``; paper trading always passes.

    ``live_eligible`` is model_engine's verdict on the model's out-of-sample (walk-forward)
    metrics, stamped on every signal; exits always pass, so a position can be closed.
    """
    if ctx.broker == "paper":
        return verdict(RULE, True, "paper broker: every model may paper-trade")
    if not ctx.entry:
        return exit_allowed(RULE)
    if ctx.live_eligible:
        return verdict(RULE, True, f"model {ctx.model} passed the walk-forward gate")
    return verdict(
        RULE, False, f"live broker: model {ctx.model} has not passed the walk-forward gate"
    )
