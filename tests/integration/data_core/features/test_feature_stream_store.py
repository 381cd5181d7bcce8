"""A `FeatureStream` warmed up from a real `CandleStore` holding a real candle file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from data_core.features import FeatureStream
from feature_spec import DEFAULT_SPEC, compute_batch
from market_store.candles import MarketKey
from market_store.store import CandleStore, import_path
from tests.data_paths import candle_file, manifest_entry

KEY = MarketKey("binance", "BTC/USDT", "1h")
WARMUP = DEFAULT_SPEC.warmup_bars
HOUR = 3_600_000
HALT_2023 = 1_679_659_200_000  # 2023-03-24 12:00, the last candle before the spot halt


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CandleStore:
    db = CandleStore(Path(tmp_path_factory.mktemp("store")) / "candles.db")
    report = import_path(db, candle_file("BTC", "1h"))
    assert report.files[0].written == manifest_entry(candle_file("BTC", "1h"))["rows"]
    return db


def test_stream_from_the_store_equals_batch_over_the_same_candles(store: CandleStore) -> None:
    # 2023-03-24 holds a Binance halt: the stream crosses a real gap in the series.
    live = store.read(KEY, start_ms=1_679_000_000_000, limit=500)
    stream = FeatureStream(DEFAULT_SPEC, KEY)
    read = stream.warm_up_from(store, end_ms=live[0].ts_open_ms, history_bars=2_000)
    assert read == 2_000
    frames = [stream.on_candle(candle) for candle in live]
    history = store.read_arrays(KEY, end_ms=live[0].ts_open_ms, last=read)
    first, stop = int(history.ts_open_ms[0]), live[-1].ts_open_ms + 1
    seen = store.read_arrays(KEY, start_ms=first, end_ms=stop)
    assert len(seen) == read + len(live)
    jumps = np.flatnonzero(np.diff(seen.ts_open_ms) != HOUR)
    assert seen.ts_open_ms[jumps].tolist() == [HALT_2023]  # the halt, and nothing else
    batch = compute_batch(DEFAULT_SPEC, seen)[read:]
    assert all(frame.warm for frame in frames)
    streamed = np.array([frame.values for frame in frames], dtype=np.float64)
    np.testing.assert_array_equal(streamed, batch)
    assert [frame.close for frame in frames] == [candle.close for candle in live]


def test_default_history_settles_to_the_full_history_values(store: CandleStore) -> None:
    everything = store.read_arrays(KEY)
    cut = len(everything) - 200
    stream = FeatureStream(DEFAULT_SPEC, KEY)
    stream.warm_up_from(store, end_ms=int(everything.ts_open_ms[cut]))
    live = store.read(KEY, start_ms=int(everything.ts_open_ms[cut]))
    streamed = np.array([stream.on_candle(c).values for c in live], dtype=np.float64)
    full = compute_batch(DEFAULT_SPEC, everything)[cut:]
    np.testing.assert_allclose(streamed, full, rtol=0, atol=1e-8)
