"""What training records of the candles it read (they come from `market_store.loader`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from feature_spec import Ohlcv


def fingerprint(series: Iterable[tuple[str, Ohlcv]]) -> str:
    """Return a sha256 over the symbols and every candle value: the data a model saw."""
    digest = hashlib.sha256()
    for name, bars in series:
        digest.update(name.encode())
        for column in (bars.ts_open_ms, bars.open, bars.high, bars.low, bars.close, bars.volume):
            digest.update(np.ascontiguousarray(column).tobytes())
    return digest.hexdigest()


__all__ = ["fingerprint"]
