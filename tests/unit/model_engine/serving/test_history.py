"""A stream's window warmed from stored candles equals what data_core's live frames give.

data_core warms its streaming features on the stored candles before a replay's start and
publishes one frame per bar; model_engine, restarted in the middle, reads the same store and
computes the rows of the bars before its first live frame in batch (`StoredHistory`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from data_core.features import FeatureStream
from data_core.pipeline import MarketPipeline
from feature_spec import DEFAULT_SPEC
from market_store.candles import MarketKey
from market_store.imports import ensure_imported
from market_store.paths import candle_db_path
from market_store.store import CandleStore
from model_engine.serving.bundle import load_bundle
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.history import HISTORY_WARMUPS, StoredHistory
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.serving.windows import STALE_LOG_SECS, RollingWindows
from signal_schema import FeatureFrame
from tests.data_paths import data_dir
from tests.unit.model_engine.serving.conftest import frame

KEY = MarketKey("binance", "BTC/USDT", "1h")
STREAM = ("replay", "BTC/USDT", "1h")  # a replay's frames name the venue "replay"
START_MS = int(datetime(2023, 3, 23, 20, tzinfo=UTC).timestamp() * 1000)  # the halt is ahead
BARS = 60
WINDOW = 24


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NTX_HOME whose candle store holds the recorded BTC/USDT 1h candles."""
    home = tmp_path_factory.mktemp("home")
    with CandleStore(candle_db_path(home)) as store:
        ensure_imported(store, data_dir(), KEY)
    return home


@pytest.fixture(scope="module")
def live(home: Path) -> list[FeatureFrame]:
    """The frames data_core's pipeline publishes replaying from START_MS (no news)."""
    with CandleStore(candle_db_path(home)) as store:
        features = FeatureStream(DEFAULT_SPEC, MarketKey("replay", "BTC/USDT", "1h"))
        features.warm_up(store.read_arrays(KEY, end_ms=START_MS - KEY.timeframe_ms + 1, last=1020))
        pipeline = MarketPipeline(features, None, lambda: datetime.now(UTC))
        candles = store.read(KEY, START_MS, limit=BARS)
    frames = [m for c in candles for m in pipeline.on_candle(c) if isinstance(m, FeatureFrame)]
    assert len(frames) == BARS
    assert all(f.warm for f in frames)
    return frames


def _ms(f: FeatureFrame) -> int:
    return int(f.ts_event.timestamp() * 1000)


def _rows(frames: list[FeatureFrame]) -> np.ndarray:
    return np.array([f.values for f in frames], dtype=np.float64).astype(np.float32)


def test_warm_rows_are_the_live_frames_of_the_same_bars(
    home: Path, live: list[FeatureFrame]
) -> None:
    history = StoredHistory(candle_db_path(home), DEFAULT_SPEC)
    assert HISTORY_WARMUPS * DEFAULT_SPEC.warmup_bars == 1020  # data_core's default warm-up
    # Restarted at live[WINDOW]: its reading starts where data_core's did, so bit for bit.
    got = history.rows_before(STREAM, _ms(live[WINDOW]), WINDOW)
    assert got is not None
    assert got.source == KEY
    assert got.last_close_ms == _ms(live[WINDOW - 1])
    np.testing.assert_array_equal(got.rows, _rows(live[:WINDOW]))
    # Restarted later (after the 2023-03-24 halt): another start, equal to float32 rounding.
    for at in (WINDOW + 7, BARS - 1):
        got = history.rows_before(STREAM, _ms(live[at]), WINDOW)
        assert got is not None
        assert got.last_close_ms == _ms(live[at - 1])
        want = _rows(live[at - WINDOW : at])
        np.testing.assert_allclose(got.rows, want, rtol=2e-7, atol=1e-9)
    history.close()


def test_no_store_or_no_series_means_no_history(tmp_path: Path, home: Path) -> None:
    missing = StoredHistory(tmp_path / "none.sqlite", DEFAULT_SPEC)
    assert missing.rows_before(STREAM, START_MS, 8) is None
    assert not (tmp_path / "none.sqlite").exists()  # never created
    history = StoredHistory(candle_db_path(home), DEFAULT_SPEC)
    assert history.rows_before(("replay", "DOGE/USDT", "1h"), START_MS, 8) is None
    too_early = int(datetime(2018, 1, 5, tzinfo=UTC).timestamp() * 1000)
    assert history.rows_before(STREAM, too_early, 8) is None  # fewer candles than the warm-up


def test_a_restarted_engine_signals_on_its_first_live_frame(
    artifact: Path, home: Path, live: list[FeatureFrame]
) -> None:
    def engine(history: StoredHistory | None) -> InferenceEngine:
        registry = ModelRegistry(GuardConfig(), DEFAULT_SPEC.names)
        registry.swap(load_bundle(artifact, DEFAULT_SPEC.names))
        return InferenceEngine(registry, DEFAULT_SPEC.names, utc_now, history=history)

    cold = engine(None)
    assert not cold.score([live[30]]).signals  # live frames only: nothing for `window` bars
    warm = engine(StoredHistory(candle_db_path(home), DEFAULT_SPEC))
    first = [live[30]]
    assert warm.cold(first) == first
    assert warm.warm(first) == warm.registry.max_window
    assert not warm.cold(first)
    (signal,) = warm.score(first).signals
    assert signal.ts_event == live[30].ts_event
    (nxt,) = warm.score([live[31]]).signals  # then live frames take over
    assert nxt.ts_event == live[31].ts_event
    assert warm.warmed_rows == warm.registry.max_window


def test_a_frame_older_than_the_window_is_counted_and_logged_once_a_minute(
    rows: np.ndarray, caplog: pytest.LogCaptureFixture
) -> None:
    now = [0.0]
    windows = RollingWindows(DEFAULT_SPEC.names, 8, monotonic=lambda: now[0])
    key = windows.add(frame("BTC/USDT", 10, rows[0]))
    assert key is not None
    caplog.set_level(logging.WARNING, logger="model_engine.serving.windows")
    for bar in (9, 3, 10, 2, 1):  # older, or the same bar again
        assert windows.add(frame("BTC/USDT", bar, rows[bar])) is None
    assert windows.stale == 5
    assert len(caplog.records) == 1  # one throttled line, not one per frame
    now[0] = STALE_LOG_SECS + 1
    assert windows.add(frame("BTC/USDT", 4, rows[4])) is None
    assert windows.stale == 6
    assert len(caplog.records) == 2
    assert "5 such frames since the last line, 6 in all" in caplog.records[-1].getMessage()
    assert windows.add(frame("BTC/USDT", 11, rows[11])) == key  # newer frames still count
    assert windows.stale == 6
