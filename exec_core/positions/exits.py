"""Exits of an open position: horizon expiry, stop-loss, take-profit and trailing stop."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Literal

from exec_core.positions.settings import PositionsSection
from signal_schema.market import Bar

ExitReason = Literal["stop_loss", "take_profit", "trailing_stop", "horizon"]
_HUNDRED = Decimal(100)
_ADVERSE: tuple[ExitReason, ...] = ("stop_loss", "trailing_stop")


@dataclass(frozen=True, slots=True)
class TrackedPosition:
    """What the exit rules need of an open position.

    Attributes
    ----------
    symbol
        The position's market.
    direction
        ``1`` long, ``-1`` short.
    entry_price
        Average entry price.
    expires_at
        When the signal's horizon ends (None: no horizon exit).
    best_price
        Highest price since entry for a long, lowest for a short (for the trailing stop).
    """

    symbol: str
    direction: int
    entry_price: Decimal
    expires_at: datetime | None
    best_price: Decimal


@dataclass(frozen=True, slots=True)
class ExitDecision:
    """Close the position: why, and the price the rule triggered at."""

    reason: ExitReason
    trigger_price: Decimal


class ExitRules:
    """Checks positions against the exit thresholds of `PositionsSection` on each bar."""

    def __init__(self, settings: PositionsSection) -> None:
        self.settings = settings

    def levels(self, position: TrackedPosition) -> dict[ExitReason, Decimal]:
        """Return the active price levels: stop, take-profit and trailing stop."""
        s, d, entry = self.settings, position.direction, position.entry_price
        levels: dict[ExitReason, Decimal] = {}
        if s.stop_loss_pct > 0:
            levels["stop_loss"] = entry * (1 - d * s.stop_loss_pct / _HUNDRED)
        if s.take_profit_pct > 0:
            levels["take_profit"] = entry * (1 + d * s.take_profit_pct / _HUNDRED)
        if s.trailing_stop_pct > 0:
            levels["trailing_stop"] = position.best_price * (1 - d * s.trailing_stop_pct / _HUNDRED)
        return levels

    def on_bar(
        self, position: TrackedPosition, bar: Bar
    ) -> tuple[TrackedPosition, ExitDecision | None]:
        """Return the position with its best price updated, and the exit the bar triggers.

        Within one bar the order of events is unknown, so a stop (and the trailing stop, on
        the best price *before* the bar) is assumed to trigger before a take-profit.
        """
        levels = self.levels(position)
        adverse = bar.low if position.direction > 0 else bar.high
        favourable = bar.high if position.direction > 0 else bar.low

        def crossed_adverse(level: Decimal) -> bool:
            return adverse <= level if position.direction > 0 else adverse >= level

        decision: ExitDecision | None = None
        for reason in _ADVERSE:
            if reason in levels and crossed_adverse(levels[reason]):
                decision = ExitDecision(reason, levels[reason])
                break
        if decision is None and "take_profit" in levels:
            level = levels["take_profit"]
            hit = favourable >= level if position.direction > 0 else favourable <= level
            if hit:
                decision = ExitDecision("take_profit", level)
        if (
            decision is None
            and self.settings.exit_on_horizon
            and position.expires_at is not None
            and bar.ts_event >= position.expires_at
        ):
            decision = ExitDecision("horizon", bar.close)
        best = (
            max(position.best_price, bar.high)
            if position.direction > 0
            else min(position.best_price, bar.low)
        )
        return replace(position, best_price=best), decision
