"""Per-series flat bands on real BTC and ETH 1h candles: fitted on training windows only."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from feature_spec import DEFAULT_SPEC, compute_batch
from model_engine.datasets import (
    LabelSpec,
    Windows,
    build_windows,
    concat_windows,
    quantile_band_labels,
)
from tests.data_paths import load_candles

SINCE, UNTIL = 1_640_995_200_000, 1_656_633_600_000  # 2022-01-01 .. 2022-07-01 UTC
SPEC = LabelSpec(horizon_bars=12, flat_band_bps=20.0)


def _pair() -> tuple[Windows, list[int], int]:
    parts = []
    for symbol in ("BTC/USDT", "ETH/USDT"):
        bars = load_candles(symbol, "1h", SINCE, UNTIL)
        parts.append(build_windows(bars, compute_batch(DEFAULT_SPEC, bars), SPEC, 24))
    starts = [0, parts[0].features.shape[0]]
    windows = concat_windows(parts)
    return windows, starts, int(np.quantile(windows.ts_close_ms, 0.8))


def test_each_series_band_holds_the_fraction_of_its_own_training_labels() -> None:
    windows, starts, boundary = _pair()
    relabelled, bands = quantile_band_labels(windows, starts, boundary, 1 / 3)
    eth = windows.end_index >= starts[1]
    training = windows.label_end_ms <= boundary
    for mine in (~eth, eth):
        flat = relabelled.y[mine & training] == 1
        assert flat.mean() == pytest.approx(1 / 3, abs=0.01)
    assert bands[1] > bands[0] > 0.002  # ETH moves more than BTC; both far above 20 bps
    assert (windows.y == 1).mean() < 0.15  # the fixed 20 bps band leaves few flat labels
    up = relabelled.fwd_return > np.array(bands)[eth.astype(int)]
    assert (relabelled.y[up] == 2).all()


def test_returns_after_the_boundary_do_not_move_the_band() -> None:
    windows, starts, boundary = _pair()
    _, bands = quantile_band_labels(windows, starts, boundary, 1 / 3)
    later = windows.label_end_ms > boundary
    shocked = replace(windows, fwd_return=np.where(later, 0.5, windows.fwd_return))
    _, again = quantile_band_labels(shocked, starts, boundary, 1 / 3)
    assert again == bands
    with pytest.raises(ValueError, match=r"flat fraction must be in \[0, 1\)"):
        quantile_band_labels(windows, starts, boundary, 1.0)
