"""Candles as data_core holds them: exact decimals keyed by venue, symbol and timeframe."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from decimal import Decimal

_UNIT_MS = {"s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_TIMEFRAME_RE = re.compile(r"([1-9][0-9]{0,3})([smhdw])", re.ASCII)
_WEEK_OFFSET_MS = 4 * 86_400_000
"""Weekly candles open on Monday 00:00 UTC; the epoch fell on a Thursday."""
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


def parse_timeframe(timeframe: str) -> tuple[int, str]:
    """Split a timeframe such as ``"15m"`` into its count and unit.

    Parameters
    ----------
    timeframe
        A count from 1 to 9999 followed by one unit: ``s``, ``m``, ``h``, ``d`` or ``w``.

    Returns
    -------
    tuple[int, str]
        The count and the unit, e.g. ``(15, "m")``.

    Raises
    ------
    ValueError
        The text is not such a timeframe (months, ``"0h"`` and ``"1H"`` included).
    """
    match = _TIMEFRAME_RE.fullmatch(timeframe) if isinstance(timeframe, str) else None
    if match is None:
        raise ValueError(
            f"not a timeframe: {timeframe!r} (expected a count and one of s, m, h, d, w, "
            "e.g. '1m', '5m', '1h', '1d', '1w')"
        )
    return int(match.group(1)), match.group(2)


def timeframe_ms(timeframe: str) -> int:
    """Return the length of a timeframe in milliseconds: ``timeframe_ms("1h") == 3_600_000``.

    Raises
    ------
    ValueError
        See `parse_timeframe`.
    """
    count, unit = parse_timeframe(timeframe)
    return count * _UNIT_MS[unit]


def grid(timeframe: str) -> tuple[int, int]:
    """Return the step and offset in ms of the opens of a timeframe's candles.

    Candles of ``s``/``m``/``h``/``d`` timeframes open at multiples of their length since the
    epoch (offset 0); weekly ones at multiples of their length since Monday 1970-01-05.
    """
    count, unit = parse_timeframe(timeframe)
    return count * _UNIT_MS[unit], _WEEK_OFFSET_MS if unit == "w" else 0


def is_aligned(ts_open_ms: int, timeframe: str) -> bool:
    """Tell whether a candle of ``timeframe`` may open at ``ts_open_ms`` (see `grid`)."""
    step, offset = grid(timeframe)
    return (ts_open_ms - offset) % step == 0


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
