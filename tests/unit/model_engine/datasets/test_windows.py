"""Windows and labels on real BTC/USDT 1h candles: causality, split purging, gaps, labels."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from feature_spec import DEFAULT_SPEC, Ohlcv, compute_batch
from model_engine.datasets import LabelSpec, Normaliser, Windows, build_windows
from tests.data_paths import load_candles

WINDOW = 16
SPEC = LabelSpec(horizon_bars=6, flat_band_bps=30.0)
HOUR = 3_600_000


@lru_cache(maxsize=1)
def bars() -> Ohlcv:
    """Return 1,500 real hourly bars that include a gap in the data (2018-02-08)."""
    return load_candles("BTC/USDT", "1h", 1_517_443_200_000, 1_517_443_200_000 + 1500 * HOUR)


def windows_of(series: Ohlcv, spec: LabelSpec = SPEC) -> Windows:
    return build_windows(series, compute_batch(DEFAULT_SPEC, series), spec, WINDOW)


def test_no_feature_at_t_uses_data_after_t() -> None:
    full = bars()
    windows = windows_of(full)
    for pos in (0, len(windows) // 2, len(windows) - 1):
        t = int(windows.end_index[pos])
        truncated = full.window(0, t + 1)
        rows = compute_batch(DEFAULT_SPEC, truncated)[t - WINDOW + 1 : t + 1]
        np.testing.assert_array_equal(windows.windows_at([pos])[0], rows.astype(np.float32))


def test_labels_use_only_the_horizon() -> None:
    full = bars()
    windows = windows_of(full)
    t = windows.end_index
    expected = full.close[t + SPEC.horizon_bars] / full.close[t] - 1.0
    np.testing.assert_allclose(windows.fwd_return, expected)
    band = SPEC.flat_band_bps / 1e4
    assert np.all(windows.y[expected > band] == 2)
    assert np.all(windows.y[expected < -band] == 0)
    assert np.all(windows.y[np.abs(expected) <= band] == 1)
    assert set(np.unique(windows.y)) == {0, 1, 2}


def test_no_label_uses_data_after_the_split_boundary() -> None:
    full = bars()
    windows = windows_of(full)
    boundary = int(windows.ts_close_ms[len(windows) // 2])
    before, after = windows.split(boundary)
    assert len(before) > 100
    assert len(after) > 100
    assert np.all(before.label_end_ms <= boundary)
    assert np.all(after.ts_close_ms > boundary)
    # Rebuilt from candles that closed by the boundary, the training windows are identical.
    cut = int(np.searchsorted(full.ts_open_ms + HOUR, boundary, side="right"))
    past = windows_of(full.window(0, cut))
    assert np.isin(before.ts_close_ms, past.ts_close_ms).all()
    same = np.isin(past.ts_close_ms, before.ts_close_ms)
    np.testing.assert_array_equal(past.y[same], before.y)
    np.testing.assert_array_equal(past.windows_at(np.flatnonzero(same)), before.x)
    # The normaliser fitted on training windows sees only rows from before the boundary.
    normaliser = Normaliser.fit(before)
    np.testing.assert_allclose(normaliser.mean, Normaliser.fit(past.take(same)).mean)
    assert np.abs(normaliser.apply(before.x).mean(axis=(0, 1))).max() < 0.5


def test_windows_never_span_a_gap() -> None:
    full = bars()
    gaps = np.flatnonzero(np.diff(full.ts_open_ms) != HOUR)
    assert gaps.size > 0, "the slice was chosen to contain a real gap"
    windows = windows_of(full)
    for t in windows.end_index:
        span = full.ts_open_ms[t - WINDOW + 1 : t + SPEC.horizon_bars + 1]
        assert np.all(np.diff(span) == HOUR)
    assert np.all(windows.label_end_ms - windows.ts_close_ms == SPEC.horizon_bars * HOUR)
    assert np.all(windows.end_index >= DEFAULT_SPEC.warmup_bars + WINDOW - 1)


def naive_triple_barrier(series: Ohlcv, t: int, spec: LabelSpec) -> int:
    band = spec.flat_band_bps / 1e4
    up, down = series.close[t] * (1 + band), series.close[t] * (1 - band)
    for k in range(t + 1, t + spec.horizon_bars + 1):
        hit_up, hit_down = series.high[k] >= up, series.low[k] <= down
        if hit_up or hit_down:
            return 2 if hit_up and not hit_down else 0 if hit_down and not hit_up else 1
    return 1


def test_triple_barrier_matches_a_naive_loop() -> None:
    spec = LabelSpec(horizon_bars=8, flat_band_bps=80.0, kind="triple_barrier")
    full = bars()
    windows = windows_of(full, spec)
    expected = [naive_triple_barrier(full, int(t), spec) for t in windows.end_index]
    np.testing.assert_array_equal(windows.y, expected)
    assert len(set(expected)) == 3


@pytest.mark.parametrize("bad", [{"horizon_bars": 0}, {"flat_band_bps": -1.0}, {"kind": "x"}])
def test_label_spec_rejects_nonsense(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"horizon|band|kind"):
        LabelSpec(**bad)  # type: ignore[arg-type]
