"""Real Binance candles from the shared data folder (``NTX_DATA_DIR``, default ../shared/data)."""

from __future__ import annotations

import gzip
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from feature_spec import Ohlcv

REPO = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """Return the shared data folder."""
    configured = os.environ.get("NTX_DATA_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "data"


def candle_path(base: str, timeframe: str) -> Path:
    """Return the file of ``<base>/USDT`` candles at `timeframe`."""
    return data_dir() / "ohlcv" / "binance" / f"{base}_USDT-{timeframe}.csv.gz"


@lru_cache(maxsize=8)
def load(base: str, timeframe: str) -> Ohlcv:
    """Return the whole series ``<base>/USDT`` at `timeframe` (cached per process)."""
    path = candle_path(base, timeframe)
    if not path.exists():
        raise FileNotFoundError(f"real candles missing: {path} (set NTX_DATA_DIR)")
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", skiprows=1, dtype=np.float64)
    return Ohlcv.from_rows(table)


def window(base: str, timeframe: str, start: int, stop: int) -> Ohlcv:
    """Return rows ``[start, stop)`` of a real series."""
    return load(base, timeframe).window(start, stop)
