"""Real windows for artifact building, audits and benches (candles from the one loader)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from feature_spec import DEFAULT_SPEC, FeatureSpec, Ohlcv, compute_batch
from market_store.loader import CandleLoader

F32 = npt.NDArray[np.float32]


def load_features(
    base: str,
    timeframe: str = "1h",
    spec: FeatureSpec = DEFAULT_SPEC,
    *,
    since_ms: int | None = None,
) -> tuple[Ohlcv, npt.NDArray[np.float64]]:
    """Return the candles of ``<base>/USDT`` from `since_ms` on and their features (news zero).

    The candles come through `market_store.loader` (NTX_HOME's store, filled from NTX_DATA_DIR
    or the venue).
    """
    with CandleLoader.open() as loader:
        bars = loader.load(f"{base}/USDT", timeframe, since_ms)
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
