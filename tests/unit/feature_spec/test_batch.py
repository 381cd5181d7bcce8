"""`compute_batch` on real candles: warm-up, causality, start independence, scale freedom."""

from __future__ import annotations

import numpy as np
import pytest
import talib

from feature_spec import DEFAULT_SPEC, Ohlcv, compute_batch
from tests.unit.feature_spec.real_candles import load, window

WARMUP = DEFAULT_SPEC.warmup_bars
START_TOLERANCE = 1e-8
"""Features computed from different first bars agree to this (measured: <= 7e-10)."""


@pytest.mark.parametrize(("base", "timeframe"), [("BTC", "1h"), ("ETH", "1h"), ("ETH", "5m")])
def test_warmup_rows_are_nan_and_later_rows_finite(base: str, timeframe: str) -> None:
    matrix = compute_batch(DEFAULT_SPEC, load(base, timeframe))
    assert matrix.shape == (len(load(base, timeframe)), len(DEFAULT_SPEC.names))
    assert np.isnan(matrix[:WARMUP]).all()
    bad = ~np.isfinite(matrix[WARMUP:])
    assert not bad.any(), [DEFAULT_SPEC.names[j] for j in np.flatnonzero(bad.any(axis=0))]


def test_short_and_empty_series_are_all_nan() -> None:
    short = window("BTC", "1h", "2018-01-01", WARMUP)
    assert np.isnan(compute_batch(DEFAULT_SPEC, short)).all()
    assert compute_batch(DEFAULT_SPEC, Ohlcv.empty()).shape == (0, len(DEFAULT_SPEC.names))


def _perturbed_after(bars: Ohlcv, cut: int) -> Ohlcv:
    rng = np.random.default_rng(7)
    factor = np.ones(len(bars))
    factor[cut:] = rng.uniform(0.5, 1.5, len(bars) - cut)
    bump = np.ones(len(bars))
    bump[cut:] = rng.uniform(0.8, 1.25, len(bars) - cut)
    traded = np.ones(len(bars))
    traded[cut:] = rng.uniform(0.2, 3.0, len(bars) - cut)
    return Ohlcv(
        bars.ts_open_ms,
        bars.open * factor,
        bars.high * factor * bump.clip(min=1.0),
        bars.low * factor * bump.clip(max=1.0),
        bars.close * factor,
        bars.volume * traded,
    )


@pytest.mark.parametrize(
    ("base", "timeframe", "start"), [("BTC", "1h", "2019-08-01"), ("ETH", "5m", "2025-01-03")]
)
def test_no_feature_uses_later_bars(base: str, timeframe: str, start: str) -> None:
    bars = window(base, timeframe, start, 4_000)
    cut = 2_500
    before = compute_batch(DEFAULT_SPEC, bars)
    after = compute_batch(DEFAULT_SPEC, _perturbed_after(bars, cut))
    np.testing.assert_array_equal(after[:cut], before[:cut])
    technical = len(DEFAULT_SPEC.technical_names)
    assert (after[cut, :technical] != before[cut, :technical]).sum() > technical // 2


@pytest.mark.parametrize(
    ("base", "timeframe", "since"),
    [("BTC", "1h", "2019-07-01"), ("XRP", "1h", "2026-03-01"), ("ETH", "5m", "2024-12-31")],
)
def test_features_do_not_depend_on_the_first_bar(base: str, timeframe: str, since: str) -> None:
    bars = window(base, timeframe, since, 1_800)
    full = compute_batch(DEFAULT_SPEC, bars)
    for start in (600, 1_111):
        late = compute_batch(DEFAULT_SPEC, bars.window(start))
        np.testing.assert_allclose(late[WARMUP:], full[start + WARMUP :], rtol=0, atol=1e-8)


def test_obv_and_ad_enter_only_through_start_free_transforms() -> None:
    bars = window("BTC", "1h", "2019-07-01", 8_000)
    start = 3_000
    raw_obv = talib.OBV(bars.close, bars.volume)
    late_obv = talib.OBV(bars.close[start:], bars.volume[start:])
    assert abs(raw_obv[-1] - late_obv[-1]) > 1.0  # the raw level depends on the start...
    names = DEFAULT_SPEC.names
    columns = [names.index("obv_slope_z"), names.index("ad_slope_z")]
    full = compute_batch(DEFAULT_SPEC, bars)[start + WARMUP :, columns]
    late = compute_batch(DEFAULT_SPEC, bars.window(start))[WARMUP:, columns]
    np.testing.assert_allclose(late, full, rtol=0, atol=START_TOLERANCE)  # ...the feature not
    assert np.abs(full).max() < np.sqrt(96)  # a z-score within its own window is bounded


def test_price_and_volume_units_do_not_matter() -> None:
    # A power of two rescales every float exactly, so any difference would be a level entering
    # a feature. (Another factor moves price ties by an ulp, which flips TA-Lib's +DM/-DM
    # choice on bars where both moves are one tick: a rounding effect, not a level.)
    unit = 1024.0
    bars = window("SOL", "1h", "2022-10-20", 4_000)
    scaled = Ohlcv(
        bars.ts_open_ms,
        bars.open * unit,
        bars.high * unit,
        bars.low * unit,
        bars.close * unit,
        bars.volume / unit,
    )
    plain = compute_batch(DEFAULT_SPEC, bars)[WARMUP:]
    rescaled = compute_batch(DEFAULT_SPEC, scaled)[WARMUP:]
    volume_z = DEFAULT_SPEC.names.index("volume_z_48")
    keep = [j for j in range(len(DEFAULT_SPEC.names)) if j != volume_z]
    np.testing.assert_allclose(rescaled[:, keep], plain[:, keep], rtol=1e-12, atol=1e-15)
    # ln(1 + volume) is shift-free only for volumes well above one unit
    assert np.corrcoef(rescaled[:, volume_z], plain[:, volume_z])[0, 1] > 0.95


def test_news_columns_pass_through_and_are_checked() -> None:
    bars = window("ETH", "1h", "2019-07-01", 1_000)
    width = len(DEFAULT_SPEC.news_names)
    news = np.random.default_rng(3).normal(size=(len(bars), width))
    matrix = compute_batch(DEFAULT_SPEC, bars, news)
    np.testing.assert_array_equal(matrix[WARMUP:, -width:], news[WARMUP:])
    no_news = compute_batch(DEFAULT_SPEC, bars)
    assert (no_news[WARMUP:, -width:] == 0.0).all()
    np.testing.assert_array_equal(no_news[:, :-width], matrix[:, :-width])
    with pytest.raises(ValueError, match="news must have shape"):
        compute_batch(DEFAULT_SPEC, bars, news[:, :2])
