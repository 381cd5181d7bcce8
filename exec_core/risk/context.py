"""What every risk rule sees: one immutable snapshot of the signal, account and clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from exec_core.settings import BrokerKind, RiskSection
from signal_schema import RuleVerdict

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class RiskContext:
    """The inputs of one risk decision (built by `RiskState.context`).

    ``entry`` is True for a buy that opens or adds to a long, False for a sell that closes
    one (spot). Money is in the quote currency; ``proposed_notional`` is set by sizing.
    ``broker`` is where orders go (``EXEC_CORE__BROKER``); ``live_eligible`` is the signal's
    ``model.live_eligible`` (the model passed model_engine's walk-forward gate).
    """

    now: datetime
    entry: bool
    symbol: str
    model: str
    confidence: float
    price: Decimal
    equity: Decimal
    peak_equity: Decimal
    model_equity: Decimal
    model_peak_equity: Decimal
    symbol_exposure: Decimal
    total_exposure: Decimal
    position_quantity: Decimal
    kill_switch: bool
    heartbeat_age_secs: float | None
    atr: Decimal | None
    broker: BrokerKind
    live_eligible: bool
    last_loss_at: datetime | None = None
    order_times: tuple[datetime, ...] = field(default=())
    proposed_notional: Decimal = Decimal(0)


def drawdown_pct(peak: Decimal, value: Decimal) -> Decimal:
    """Return how far `value` is below `peak`, in percent of `peak` (0 at or above it)."""
    if peak <= 0 or value >= peak:
        return Decimal(0)
    return (peak - value) / peak * HUNDRED


def verdict(rule: str, passed: bool, reason: str) -> RuleVerdict:
    """Return a rule's verdict."""
    return RuleVerdict(rule=rule, passed=passed, reason=reason)


def exit_allowed(rule: str) -> RuleVerdict:
    """Return the verdict of an entry-halting rule on an exit: exits always pass."""
    return verdict(rule, True, "exit: reducing risk is always allowed")


__all__ = ["HUNDRED", "RiskContext", "RiskSection", "drawdown_pct", "exit_allowed", "verdict"]
