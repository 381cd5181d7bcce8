"""The risk gate: size the order, run every rule, return the verdicts and the quantity."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from exec_core.risk.context import RiskContext, RiskSection
from exec_core.risk.registry import RULES
from exec_core.risk.sizing import entry_notional
from signal_schema import RuleVerdict

QUANTITY_STEP = Decimal("0.00000001")


@dataclass(frozen=True, slots=True)
class GateResult:
    """The rules' verdicts and, when every rule passed, the quantity to trade."""

    verdicts: tuple[RuleVerdict, ...]
    quantity: Decimal
    notional: Decimal

    @property
    def accepted(self) -> bool:
        """Whether every rule passed."""
        return all(v.passed for v in self.verdicts)


def evaluate(ctx: RiskContext, limits: RiskSection, min_confidence: float) -> GateResult:
    """Size the order for `ctx` and run every rule of `RULES` on it.

    An entry is sized by `entry_notional`; an exit sells the whole position.
    """
    if ctx.entry:
        notional = entry_notional(ctx, limits, min_confidence)
        quantity = (notional / ctx.price).quantize(QUANTITY_STEP, rounding=ROUND_DOWN)
    else:
        quantity = max(ctx.position_quantity, Decimal(0))
    notional = quantity * ctx.price
    sized = replace(ctx, proposed_notional=notional)
    verdicts = tuple(rule(sized, limits) for rule in RULES.values())
    passed = all(v.passed for v in verdicts)
    return GateResult(verdicts, quantity if passed else Decimal(0), notional)
