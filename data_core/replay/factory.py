"""Build a replay in one call: import what is missing, pick the start, make clock and venue."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from data_core.clock import SimClock
from data_core.replay.source import recent_start_ms
from data_core.replay.venue import ReplayVenue, replay_symbol
from market_store.candles import MarketKey
from market_store.imports import ensure_imported
from market_store.store import CandleStore


def make_replay(
    store: CandleStore,
    symbols: Sequence[str],
    timeframe: str,
    *,
    data_dir: Path | None = None,
    speed: str | float = "max",
    start_ms: int | None = None,
    recent_bars: int | None = None,
    source: str = "binance",
) -> ReplayVenue:
    """Return a replay venue of ``symbols`` on a fresh clock; this reads files, so call it once.

    Parameters
    ----------
    store
        Where the recording is read from (and imported into, from ``data_dir``).
    symbols, timeframe
        The series to replay, e.g. ``["BTC/USDT", "ETH/USDT"]`` and ``"1h"``.
    data_dir
        NTX_DATA_DIR, to import series the store lacks.
    speed
        ``"realtime"``, ``"xN"`` or ``"max"`` (see `data_core.clock.parse_speed`).
    start_ms, recent_bars
        Where the clock starts: at ``start_ms``, or so that the most recent ``recent_bars``
        candles remain to replay (`recent_start_ms`). Give exactly one.

    Raises
    ------
    ValueError
        Both or neither of ``start_ms`` and ``recent_bars``, or a bad symbol or timeframe.
    LookupError
        ``recent_bars`` is given but no series has a stored candle.
    """
    if (start_ms is None) == (recent_bars is None):
        raise ValueError("give exactly one of start_ms and recent_bars")
    keys = [MarketKey(source, replay_symbol(symbol), timeframe) for symbol in symbols]
    for key in keys:
        ensure_imported(store, data_dir, key)
    if recent_bars is not None:
        start_ms = recent_start_ms(store, keys, recent_bars)
    elif start_ms is None:  # pragma: no cover - refused above
        raise ValueError("give exactly one of start_ms and recent_bars")
    clock = SimClock(start_ms, speed)
    return ReplayVenue(store, clock, source=source, data_dir=data_dir)
