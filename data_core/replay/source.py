"""Where a replay starts: the most recent stretch of what the store holds."""

from __future__ import annotations

from collections.abc import Iterable

from market_store.candles import MarketKey
from market_store.store import CandleStore


def recent_start_ms(store: CandleStore, keys: Iterable[MarketKey], bars: int) -> int:
    """Return a start time that leaves the most recent ``bars`` candles to replay.

    With several keys, the window ends at the latest close among them, so a series that ends
    earlier contributes only what it has in that window.

    Raises
    ------
    LookupError
        No key has a stored candle.
    """
    if bars < 1:
        raise ValueError(f"bars must be >= 1, got {bars}")
    starts = []
    for key in keys:
        last = store.last_open_ms(key)
        if last is not None:
            starts.append(last + key.timeframe_ms - bars * key.timeframe_ms)
    if not starts:
        raise LookupError("no stored candles for any of the keys to replay")
    return max(starts)
