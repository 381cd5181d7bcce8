"""The most recent real candles of a series as closed `Bar` messages (through the one loader)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from market_store.candles import Candle, timeframe_ms
from market_store.loader import CandleLoader
from market_store.timeframes import timeframe_delta
from signal_schema import Bar


def bar_of(candle: Candle, venue: str, symbol: str, timeframe: str, now: datetime) -> Bar:
    """Return a closed candle as the `Bar` data_core would publish."""
    opened = datetime.fromtimestamp(candle.ts_open_ms / 1000, UTC)
    return Bar(
        ts_event=opened + timeframe_delta(timeframe),
        ts_init=now,
        venue=venue,
        symbol=symbol,
        timeframe=timeframe,
        ts_open=opened,
        open=candle.open,
        high=candle.high,
        low=candle.low,
        close=candle.close,
        volume=candle.volume,
    )


def recent_bars(
    loader: CandleLoader, symbols: Sequence[str], timeframe: str, count: int
) -> list[Bar]:
    """Return the last `count` closed candles of every symbol, interleaved by close time."""
    now_ms = loader.now_ms(symbols, timeframe)
    since_ms = now_ms - (count + 1) * timeframe_ms(timeframe)
    now = datetime.now(UTC)
    bars = []
    for symbol in symbols:
        closed = loader.candles(symbol, timeframe, since_ms, now_ms - timeframe_ms(timeframe) + 1)
        venue = loader.source.venue
        bars += [bar_of(c, venue, symbol, timeframe, now) for c in closed[-count:]]
    return sorted(bars, key=lambda b: (b.ts_event, b.symbol))
