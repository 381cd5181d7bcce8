"""Positions and portfolio state (exec_core's ledger)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.primitives import DecimalStr, NonNegativeDecimal, Symbol, Venue


class PositionChanged(Message):
    """A position after a fill; `quantity` is signed (negative = short)."""

    TOPIC: ClassVar[str] = topics.POSITION_CHANGED
    type: Literal["PositionChanged"] = "PositionChanged"
    venue: Venue
    symbol: Symbol
    quantity: DecimalStr
    avg_entry_price: NonNegativeDecimal
    realized_pnl: DecimalStr
    unrealized_pnl: DecimalStr


class PortfolioSnapshot(Message):
    """Account state in the quote currency; drawdown from the equity peak, in percent."""

    TOPIC: ClassVar[str] = topics.PORTFOLIO_SNAPSHOT
    type: Literal["PortfolioSnapshot"] = "PortfolioSnapshot"
    currency: str = Field(min_length=1, max_length=20)
    equity: DecimalStr
    cash: DecimalStr
    gross_exposure: NonNegativeDecimal
    net_exposure: DecimalStr
    drawdown_pct: NonNegativeDecimal
    open_positions: int = Field(ge=0)
