"""Every risk rule, by name, in the order the gate runs them (explicit, no discovery)."""

from __future__ import annotations

from collections.abc import Callable

from exec_core.risk import (
    cooldown,
    dead_man,
    drawdown,
    kill_switch,
    live_gate,
    model_drawdown,
    order_rate,
    size,
    symbol_exposure,
    total_exposure,
)
from exec_core.risk.context import RiskContext, RiskSection
from signal_schema import RuleVerdict

Rule = Callable[[RiskContext, RiskSection], RuleVerdict]

RULES: dict[str, Rule] = {
    kill_switch.RULE: kill_switch.check,
    live_gate.RULE: live_gate.check,
    dead_man.RULE: dead_man.check,
    drawdown.RULE: drawdown.check,
    model_drawdown.RULE: model_drawdown.check,
    cooldown.RULE: cooldown.check,
    order_rate.RULE: order_rate.check,
    symbol_exposure.RULE: symbol_exposure.check,
    total_exposure.RULE: total_exposure.check,
    size.RULE: size.check,
}
