"""Turn ccxt's OHLCV rows into sound, ordered, deduplicated `Candle` objects.

ccxt parses prices as float64; each is turned into a `Decimal` through its shortest repr, which
gives back the venue's exact decimal for any price of up to 15 significant digits
(`venue_adapter.decimals.exact_decimal`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from market_store.candles import Candle, candle_error, is_aligned
from venue_adapter.decimals import exact_decimal

_log = logging.getLogger(__name__)

_FIELDS = ("open", "high", "low", "close", "volume")


@dataclass(frozen=True, slots=True)
class Page:
    """What one response held: its sound candles, oldest first, and what was left out."""

    candles: list[Candle]
    malformed: int = 0
    duplicates: int = 0
    forming: int = 0


@dataclass(slots=True)
class VenueStats:
    """Running counts of what a venue's responses held and what was left out of them."""

    pages: int = 0
    candles: int = 0
    malformed: int = 0
    duplicates: int = 0
    forming: int = 0

    def add(self, page: Page) -> None:
        """Count one page."""
        self.pages += 1
        self.candles += len(page.candles)
        self.malformed += page.malformed
        self.duplicates += page.duplicates
        self.forming += page.forming


def to_candle(row: object, timeframe: str) -> Candle:
    """Return the candle of one ccxt row ``[ts_ms, open, high, low, close, volume]``.

    Raises
    ------
    ValueError
        Why the row is malformed: wrong shape, a missing or non-numeric field, a time off the
        timeframe's grid, or impossible prices (see `market_store.candles.candle_error`).
    """
    if not isinstance(row, list | tuple) or len(row) < 6:
        raise ValueError(f"not a [time, open, high, low, close, volume] row: {row!r}")
    ts = row[0]
    if isinstance(ts, bool) or not isinstance(ts, int) or ts < 0:
        raise ValueError(f"open time is not epoch milliseconds: {ts!r}")
    if not is_aligned(ts, timeframe):
        raise ValueError(f"open time {ts} is not on the {timeframe} grid")
    values = [exact_decimal(v, name) for name, v in zip(_FIELDS, row[1:6], strict=True)]
    candle = Candle(ts, *values)
    problem = candle_error(candle)
    if problem is not None:
        raise ValueError(problem)
    return candle


def to_page(
    rows: Sequence[object],
    timeframe: str,
    tf_ms: int,
    *,
    closed_by_ms: int | None,
    context: str,
) -> Page:
    """Read one response's rows: skip malformed ones (logged), order, deduplicate, drop forming.

    Parameters
    ----------
    rows
        ccxt's rows in any order, duplicates allowed.
    timeframe, tf_ms
        The timeframe and its length in milliseconds.
    closed_by_ms
        The venue's time when the response was asked for: a candle closing after it is still
        forming and is left out. None keeps every candle.
    context
        Names the venue, symbol and timeframe in log records.
    """
    by_open: dict[int, Candle] = {}
    malformed = duplicates = forming = 0
    for row in rows:
        try:
            candle = to_candle(row, timeframe)
        except ValueError as error:
            malformed += 1
            _log.warning("%s: malformed candle skipped: %s", context, error)
            continue
        if candle.ts_open_ms in by_open:
            duplicates += 1
            if by_open[candle.ts_open_ms] != candle:
                _log.warning("%s: conflicting duplicates at %d", context, candle.ts_open_ms)
        by_open[candle.ts_open_ms] = candle
    candles = []
    for ts in sorted(by_open):
        if closed_by_ms is not None and ts + tf_ms > closed_by_ms:
            forming += 1
            continue
        candles.append(by_open[ts])
    if duplicates:
        _log.info("%s: %d duplicate candles dropped", context, duplicates)
    return Page(candles, malformed, duplicates, forming)
