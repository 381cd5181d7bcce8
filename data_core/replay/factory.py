"""Build a replay in one call: import what is missing, pick the start, make clock and venue."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from data_core.clock import SimClock, ms_to_utc
from data_core.replay.position import ReplayPosition
from data_core.replay.source import recent_start_ms
from data_core.replay.venue import ReplayVenue, replay_symbol
from market_store.candles import MarketKey
from market_store.imports import ensure_imported
from market_store.store import CandleStore

log = logging.getLogger(__name__)


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
    position_file: Path | None = None,
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
    position_file
        Where the replay's position is kept (`ReplayPosition`): a replay of the same series
        from the same start resumes after the last bar it published (the venue's
        ``position``). None: always from the start.

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
    position = None
    if position_file is not None:
        position = ReplayPosition.load(
            position_file,
            source=source,
            timeframe=timeframe,
            symbols=[key.symbol for key in keys],
            origin_ms=start_ms,
        )
        if (resume_ms := position.resume_ms()) != start_ms:
            log.info(
                "replay resumes at %s after the bars published before its restart "
                "(started at %s; delete %s to start over)",
                ms_to_utc(resume_ms).isoformat(), ms_to_utc(start_ms).isoformat(), position_file,
                extra={"event": "replay_resumed", "resume_ms": resume_ms, "origin_ms": start_ms},
            )  # fmt: skip
            start_ms = resume_ms
    clock = SimClock(start_ms, speed)
    return ReplayVenue(store, clock, source=source, data_dir=data_dir, position=position)
