"""Domain values into the wire messages data_core publishes."""

from __future__ import annotations

from datetime import datetime

from data_core.clock import ms_to_utc
from market_store.candles import Candle, MarketKey
from market_store.store import Gap
from signal_schema import Bar, GapDetected


def bar_message(key: MarketKey, candle: Candle, now: datetime) -> Bar:
    """Return the `Bar` of a closed candle; `ts_event` is its close time."""
    return Bar(
        ts_event=ms_to_utc(candle.ts_open_ms + key.timeframe_ms),
        ts_init=now,
        venue=key.venue,
        symbol=key.symbol,
        timeframe=key.timeframe,
        ts_open=ms_to_utc(candle.ts_open_ms),
        open=candle.open,
        high=candle.high,
        low=candle.low,
        close=candle.close,
        volume=candle.volume,
    )


def gap_message(key: MarketKey, gap: Gap, now: datetime) -> GapDetected:
    """Return the `GapDetected` announcing `gap`; `ts_event` is when it was noticed (close)."""
    return GapDetected(
        ts_event=ms_to_utc(gap.next_open_ms + key.timeframe_ms),
        ts_init=now,
        venue=key.venue,
        symbol=key.symbol,
        timeframe=key.timeframe,
        first_missing_open=ms_to_utc(gap.first_missing_open_ms),
        last_missing_open=ms_to_utc(gap.next_open_ms - key.timeframe_ms),
        missing_bars=gap.missing,
    )
