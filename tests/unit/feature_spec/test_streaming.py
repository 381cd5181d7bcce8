"""`StreamingFeatures` reproduces `compute_batch` bit for bit on real candles."""

from __future__ import annotations

import numpy as np
import pytest

from feature_spec import DEFAULT_SPEC, Ohlcv, StreamingFeatures, compute_batch
from feature_spec.ohlcv import FloatArray
from tests.unit.feature_spec.real_candles import window

WARMUP = DEFAULT_SPEC.warmup_bars


def _stream(features: StreamingFeatures, bars: Ohlcv, news: FloatArray | None = None) -> FloatArray:
    rows = []
    for i in range(len(bars)):
        rows.append(
            features.update(
                int(bars.ts_open_ms[i]),
                float(bars.open[i]),
                float(bars.high[i]),
                float(bars.low[i]),
                float(bars.close[i]),
                float(bars.volume[i]),
                None if news is None else news[i],
            )
        )
    return np.array(rows).reshape(len(bars), len(DEFAULT_SPEC.names))


def _assert_identical(streamed: FloatArray, batch: FloatArray) -> None:
    differing = [
        name
        for j, name in enumerate(DEFAULT_SPEC.names)
        if not np.array_equal(streamed[:, j], batch[:, j], equal_nan=True)
    ]
    assert differing == []


@pytest.mark.parametrize(
    ("base", "timeframe", "start"),
    [
        ("BTC", "1h", "2020-09-01"),
        ("ETH", "1h", "2022-06-01"),
        ("BTC", "5m", "2025-01-05"),
        ("ETH", "5m", "2024-12-31"),
    ],
)
def test_stream_equals_batch_for_every_feature(base: str, timeframe: str, start: str) -> None:
    bars = window(base, timeframe, start, 5_000)
    history = 1_200
    features = StreamingFeatures(DEFAULT_SPEC)
    features.warm_up(bars.window(0, history))
    streamed = _stream(features, bars.window(history))
    batch = compute_batch(DEFAULT_SPEC, bars)[history:]
    assert np.isfinite(streamed).all()
    _assert_identical(streamed, batch)


@pytest.mark.parametrize("history", [0, 1, WARMUP - 1, WARMUP])
def test_short_warmups_buffer_until_the_spec_is_warm(history: int) -> None:
    bars = window("ETH", "5m", "2025-01-20", WARMUP + 400)
    features = StreamingFeatures(DEFAULT_SPEC)
    features.warm_up(bars.window(0, history))
    streamed = _stream(features, bars.window(history))
    batch = compute_batch(DEFAULT_SPEC, bars)[history:]
    _assert_identical(streamed, batch)
    assert np.isnan(streamed[: max(WARMUP - history, 0)]).all()


def test_warm_flag_follows_the_bars_seen() -> None:
    bars = window("BTC", "1h", "2018-01-01", WARMUP + 1)
    features = StreamingFeatures(DEFAULT_SPEC)
    features.warm_up(bars.window(0, WARMUP - 1))
    warm_before = features.warm
    assert not warm_before
    assert np.isnan(_stream(features, bars.window(WARMUP - 1, WARMUP))).all()
    assert features.warm
    assert features.bars_seen == WARMUP
    assert np.isfinite(_stream(features, bars.window(WARMUP))).all()
    assert features.last_ts_open_ms == int(bars.ts_open_ms[-1])


def test_news_rows_pass_through_like_batch() -> None:
    bars = window("BTC", "5m", "2025-01-04", 1_000)
    news = np.random.default_rng(11).normal(size=(len(bars), len(DEFAULT_SPEC.news_names)))
    features = StreamingFeatures(DEFAULT_SPEC)
    features.warm_up(bars.window(0, 500), news[:500])
    streamed = _stream(features, bars.window(500), news[500:])
    _assert_identical(streamed, compute_batch(DEFAULT_SPEC, bars, news)[500:])


def test_bars_must_move_forward_and_news_rows_fit() -> None:
    bars = window("ETH", "1h", "2019-07-01", WARMUP + 5)
    features = StreamingFeatures(DEFAULT_SPEC)
    features.warm_up(bars)
    last = int(bars.ts_open_ms[-1])
    with pytest.raises(ValueError, match="does not follow"):
        features.update(last, 1.0, 1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="news_row must have"):
        features.update(last + 3_600_000, 1.0, 1.0, 1.0, 1.0, 1.0, [0.0, 1.0])
    assert features.bars_seen == WARMUP + 5
    with pytest.raises(ValueError, match="news must have shape"):
        features.warm_up(bars, np.zeros((2, 2)))


def test_update_returns_one_float_row() -> None:
    bars = window("XRP", "1h", "2026-03-01", WARMUP + 1)
    features = StreamingFeatures(DEFAULT_SPEC)
    features.warm_up(bars.window(0, WARMUP))
    row = features.update(
        int(bars.ts_open_ms[-1]),
        float(bars.open[-1]),
        float(bars.high[-1]),
        float(bars.low[-1]),
        float(bars.close[-1]),
        float(bars.volume[-1]),
    )
    assert row.dtype == np.float64
    assert row.shape == (len(DEFAULT_SPEC.names),)
