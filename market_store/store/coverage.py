"""What a candle series holds: its span, row count and the holes in it."""

from __future__ import annotations

from dataclasses import dataclass

from market_store.candles import MarketKey


@dataclass(frozen=True, slots=True)
class Gap:
    """Candles missing between two stored ones.

    ``prev_open_ms`` is the open of the last candle before the hole, ``next_open_ms`` the open
    of the first one after it, ``missing`` how many candles would fit between them.
    """

    prev_open_ms: int
    next_open_ms: int
    timeframe_ms: int
    missing: int

    @property
    def first_missing_open_ms(self) -> int:
        """Return the open of the first missing candle."""
        return self.prev_open_ms + self.timeframe_ms

    @property
    def last_missing_open_ms(self) -> int:
        """Return the open of the last missing candle."""
        return self.prev_open_ms + self.missing * self.timeframe_ms


@dataclass(frozen=True, slots=True)
class Coverage:
    """The span of one stored series: first and last candle opens, rows, gaps and missing."""

    key: MarketKey
    first_open_ms: int
    last_open_ms: int
    rows: int
    gaps: int
    missing: int

    @property
    def last_close_ms(self) -> int:
        """Return when the last stored candle closed."""
        return self.last_open_ms + self.key.timeframe_ms


def missing_between(prev_open_ms: int, next_open_ms: int, tf_ms: int) -> int:
    """Return how many candle opens of length ``tf_ms`` fit strictly between two opens."""
    return max(0, (next_open_ms - prev_open_ms - 1) // tf_ms)


def find_gap(prev_open_ms: int, next_open_ms: int, tf_ms: int) -> Gap | None:
    """Return the gap between two consecutive stored candles, or None when they are adjacent.

    Parameters
    ----------
    prev_open_ms, next_open_ms
        Opens of two consecutive candles of one series, in milliseconds.
    tf_ms
        The series' timeframe in milliseconds.

    Examples
    --------
    >>> find_gap(0, 3_600_000, 3_600_000) is None
    True
    >>> find_gap(0, 3 * 3_600_000, 3_600_000).missing
    2
    """
    if tf_ms <= 0:
        raise ValueError(f"timeframe must be positive, got {tf_ms} ms")
    missing = missing_between(prev_open_ms, next_open_ms, tf_ms)
    if missing == 0:
        return None
    return Gap(prev_open_ms, next_open_ms, tf_ms, missing)
