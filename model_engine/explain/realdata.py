"""Real windows for artifact building, audits and benches (candles read from NTX_DATA_DIR)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import numpy.typing as npt

from feature_spec import DEFAULT_SPEC, FeatureSpec, Ohlcv, compute_batch

F32 = npt.NDArray[np.float32]


def data_dir() -> Path:
    """Return ``NTX_DATA_DIR``, else ``../shared/data`` beside the repository."""
    raw = os.environ.get("NTX_DATA_DIR")
    return Path(raw) if raw else Path(__file__).resolve().parents[3] / "shared" / "data"


def load_features(
    base: str, timeframe: str = "1h", spec: FeatureSpec = DEFAULT_SPEC
) -> tuple[Ohlcv, npt.NDArray[np.float64]]:
    """Return the candles of ``<base>/USDT`` and their features (news columns zero)."""
    path = data_dir() / "ohlcv" / "binance" / f"{base}_USDT-{timeframe}.csv.gz"
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", skiprows=1, dtype=np.float64)
    bars = Ohlcv.from_rows(table)
    return bars, compute_batch(spec, bars)


def windows_at(features: npt.NDArray[np.float64], ends: npt.NDArray[np.int64], window: int) -> F32:
    """Return ``(len(ends), window, f)`` float32 windows whose last row is each end index."""
    idx = ends[:, None] + np.arange(-window + 1, 1)[None, :]
    return np.asarray(features[idx], dtype=np.float32)


def labels(close: npt.NDArray[np.float64], horizon: int, flat_bps: float) -> npt.NDArray[np.int64]:
    """Return 0/1/2 (down/flat/up) of the forward return over `horizon` bars (-1 at the end)."""
    fwd = np.full(len(close), np.nan)
    fwd[:-horizon] = close[horizon:] / close[:-horizon] - 1.0
    y = np.where(fwd > flat_bps / 1e4, 2, np.where(fwd < -flat_bps / 1e4, 0, 1))
    return np.where(np.isnan(fwd), -1, y).astype(np.int64)


def spread_ends(first: int, last: int, count: int) -> npt.NDArray[np.int64]:
    """Return `count` end indices spread evenly over ``first .. last`` (inclusive)."""
    return np.unique(np.linspace(first, last, count).round().astype(np.int64))
