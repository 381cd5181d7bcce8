"""Candles as the store holds them: exact decimals keyed by venue, symbol and timeframe."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from decimal import Decimal

from market_store.timeframes import grid, is_aligned, parse_timeframe, timeframe_ms

_ZERO = Decimal(0)
_INFINITY = Decimal("Infinity")


@dataclass(frozen=True, slots=True)
class Candle:
    """One OHLCV candle; ``ts_open_ms`` is the UTC epoch milliseconds of its open."""

    ts_open_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


@dataclass(frozen=True, slots=True, order=True)
class MarketKey:
    """What a candle series belongs to: ``MarketKey("binance", "BTC/USDT", "1h")``."""

    venue: str
    symbol: str
    timeframe: str

    def __str__(self) -> str:
        return f"{self.venue}:{self.symbol}:{self.timeframe}"

    @property
    def timeframe_ms(self) -> int:
        """Return the length of one candle of this key in milliseconds."""
        return timeframe_ms(self.timeframe)


def candle_error(candle: Candle) -> str | None:
    """Return why a candle is impossible, or None when it is sound.

    A sound candle has positive finite prices, a non-negative finite volume, a high at or above
    the open and the close, and a low at or below them.
    """
    o, h, low, c, v = candle.open, candle.high, candle.low, candle.close, candle.volume
    with contextlib.suppress(ArithmeticError):  # NaN: described below
        if _ZERO < low <= min(o, c) and max(o, c) <= h < _INFINITY and _ZERO <= v < _INFINITY:
            return None
    for name, value in (("open", o), ("high", h), ("low", low), ("close", c)):
        if not value.is_finite() or value <= 0:
            return f"{name} must be a positive price, got {value}"
    if not v.is_finite() or v < 0:
        return f"volume must be >= 0, got {v}"
    if h < max(o, c):
        return f"high {h} is below max(open, close) {max(o, c)}"
    return f"low {low} is above min(open, close) {min(o, c)}"


__all__ = [
    "Candle",
    "MarketKey",
    "candle_error",
    "grid",
    "is_aligned",
    "parse_timeframe",
    "timeframe_ms",
]
