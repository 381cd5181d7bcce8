"""`FeatureStream`: candles in, `FeatureFrame`s out, equal to the batch rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar

import numpy as np
import pytest

from data_core.features import FeatureStream
from feature_spec import DEFAULT_SPEC, FeatureSpec, Ohlcv, compute_batch
from feature_spec.blocks import BlockStream, CandleShape
from feature_spec.ohlcv import FloatArray
from market_store.candles import Candle, MarketKey
from tests.unit.feature_spec.real_candles import window

KEY = MarketKey("binance", "BTC/USDT", "5m")
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
WARMUP = DEFAULT_SPEC.warmup_bars


def candle(bars: Ohlcv, i: int) -> Candle:
    """Bar `i` as a candle with the file's decimals (shortest float repr)."""
    prices = (bars.open, bars.high, bars.low, bars.close, bars.volume)
    return Candle(int(bars.ts_open_ms[i]), *(Decimal(repr(float(col[i]))) for col in prices))


def fixed_clock() -> datetime:
    return NOW


def test_frames_match_batch_rows_after_warmup() -> None:
    bars = window("BTC", "5m", "2025-01-10", 1_500)
    stream = FeatureStream(DEFAULT_SPEC, KEY, clock=fixed_clock)
    stream.warm_up(bars.window(0, 1_000))
    batch = compute_batch(DEFAULT_SPEC, bars)
    for i in range(1_000, len(bars)):
        frame = stream.on_candle(candle(bars, i))
        assert frame.warm
        assert frame.values == tuple(batch[i].tolist())
    last = candle(bars, len(bars) - 1)
    assert frame.close == last.close
    assert frame.ts_event == datetime.fromtimestamp((last.ts_open_ms + 300_000) / 1000, UTC)
    assert frame.ts_init == NOW
    assert (frame.venue, frame.symbol, frame.timeframe) == ("binance", "BTC/USDT", "5m")
    assert frame.spec_version == DEFAULT_SPEC.version
    assert frame.names == DEFAULT_SPEC.names


def test_values_are_none_until_warm() -> None:
    bars = window("ETH", "5m", "2024-12-31", WARMUP + 3)
    stream = FeatureStream(DEFAULT_SPEC, MarketKey("binance", "ETH/USDT", "5m"))
    stream.warm_up(bars.window(0, WARMUP - 2))
    frames = [stream.on_candle(candle(bars, i)) for i in range(WARMUP - 2, len(bars))]
    assert [f.warm for f in frames] == [False, False, True, True, True]
    assert frames[1].values == (None,) * len(DEFAULT_SPEC.names)
    batch = compute_batch(DEFAULT_SPEC, bars)
    assert frames[2].values == tuple(batch[WARMUP].tolist())


def test_news_rows_reach_the_frame() -> None:
    bars = window("BTC", "5m", "2024-12-31", WARMUP + 1)
    stream = FeatureStream(DEFAULT_SPEC, KEY)
    stream.warm_up(bars.window(0, WARMUP))
    news = [0.25, 3.0, 0.1, -0.2, 0.3, -0.4]
    frame = stream.on_candle(candle(bars, WARMUP), news_row=news)
    assert frame.values[-len(news) :] == tuple(news)


@dataclass
class MemorySource:
    """An in-memory `ArraySource` over one series."""

    bars: Ohlcv
    calls: list[tuple[int | None, int | None]]

    def read_arrays(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        last: int | None = None,
    ) -> Ohlcv:
        self.calls.append((end_ms, last))
        keep = self.bars.ts_open_ms < (end_ms if end_ms is not None else np.iinfo(np.int64).max)
        stop = int(keep.sum())
        return self.bars.window(max(stop - (last or stop), 0), stop)


def test_warm_up_from_a_source_reads_the_newest_bars() -> None:
    bars = window("BTC", "5m", "2025-01-15", 2_500)
    source = MemorySource(bars.window(0, 2_000), [])
    stream = FeatureStream(DEFAULT_SPEC, KEY)
    assert stream.warm_up_from(source) == 3 * WARMUP
    assert source.calls == [(None, 3 * WARMUP)]
    assert stream.last_ts_open_ms == int(bars.ts_open_ms[1_999])
    assert stream.warm
    batch = compute_batch(DEFAULT_SPEC, bars.window(2_000 - 3 * WARMUP))
    frame = stream.on_candle(candle(bars, 2_000))
    assert frame.values == tuple(batch[3 * WARMUP].tolist())
    end = int(bars.ts_open_ms[1_500])
    assert stream.warm_up_from(source, end_ms=end, history_bars=WARMUP) == WARMUP
    assert stream.last_ts_open_ms == int(bars.ts_open_ms[1_499])


def test_a_stale_candle_is_refused() -> None:
    bars = window("BTC", "5m", "2024-12-31", 10)
    stream = FeatureStream(DEFAULT_SPEC, KEY)
    stream.warm_up(bars)
    with pytest.raises(ValueError, match="does not follow"):
        stream.on_candle(candle(bars, 9))


@dataclass(frozen=True)
class BrokenShape(CandleShape):
    """Candle shape whose body fraction is NaN when open equals close (to test the guard)."""

    formula: ClassVar[str] = "range_frac; body_frac is NaN when open equals close"

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        span, body = super().batch(bars)
        return [span, np.where(bars.open == bars.close, np.nan, body)]

    def open(self, bars: Ohlcv) -> BlockStream:
        return _BrokenStream()


class _BrokenStream:
    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return (0.0, math.nan if open_ == close else 0.0)


def test_a_non_finite_value_after_warmup_becomes_none() -> None:
    spec = FeatureSpec(blocks=(BrokenShape(),), warmup_bars=1, news_names=())
    stream = FeatureStream(spec, KEY)
    stream.warm_up(window("BTC", "5m", "2024-12-31", 5))
    flat = Candle(10**13, Decimal(2), Decimal(3), Decimal(1), Decimal(2), Decimal(1))
    frame = stream.on_candle(flat)
    assert frame.values == (0.0, None)
    assert not frame.warm
