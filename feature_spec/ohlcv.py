"""Candle columns as numpy arrays: the input of every feature computation."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _as_int64(values: npt.ArrayLike) -> IntArray:
    raw = np.asarray(values)
    if raw.ndim != 1:
        raise ValueError(f"ts_open_ms must be one-dimensional, got shape {raw.shape}")
    if raw.dtype.kind == "f":
        if not np.all(np.isfinite(raw)) or np.any(raw != np.floor(raw)):
            raise ValueError("ts_open_ms must hold whole milliseconds")
        if raw.size and np.max(np.abs(raw)) >= 2.0**53:
            raise ValueError("ts_open_ms is too large to be exact")
    elif raw.size and raw.dtype.kind not in "iu":
        raise ValueError(f"ts_open_ms must be integers, got dtype {raw.dtype}")
    return np.ascontiguousarray(raw, dtype=np.int64)


def _column(name: str, values: npt.ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    column = np.ascontiguousarray(values, dtype=np.float64)
    if column.shape != shape:
        raise ValueError(f"{name} has shape {column.shape}, ts_open_ms {shape}")
    return column


class Ohlcv:
    """Candles of one series as contiguous columns, oldest first.

    Parameters
    ----------
    ts_open_ms
        Candle open times, UTC epoch milliseconds, strictly increasing; stored as int64 (float
        input is accepted when it holds whole milliseconds).
    open, high, low, close, volume
        Prices and base-asset volume; stored as float64.

    Raises
    ------
    ValueError
        If the columns differ in length, are not one-dimensional, or the times do not
        strictly increase.
    """

    __slots__ = ("close", "high", "low", "open", "ts_open_ms", "volume")

    def __init__(
        self,
        ts_open_ms: npt.ArrayLike,
        open: npt.ArrayLike,
        high: npt.ArrayLike,
        low: npt.ArrayLike,
        close: npt.ArrayLike,
        volume: npt.ArrayLike,
    ) -> None:
        ts = _as_int64(ts_open_ms)
        if ts.size > 1 and not np.all(np.diff(ts) > 0):
            raise ValueError("ts_open_ms must strictly increase")
        self.ts_open_ms: IntArray = ts
        self.open = _column("open", open, ts.shape)
        self.high = _column("high", high, ts.shape)
        self.low = _column("low", low, ts.shape)
        self.close = _column("close", close, ts.shape)
        self.volume = _column("volume", volume, ts.shape)

    def __repr__(self) -> str:
        span = f"{self.ts_open_ms[0]}..{self.ts_open_ms[-1]}" if len(self) else "empty"
        return f"Ohlcv({len(self)} bars, {span})"

    def __len__(self) -> int:
        return int(self.ts_open_ms.shape[0])

    @classmethod
    def empty(cls) -> Ohlcv:
        """Return a series with no candles."""
        none = np.zeros(0, dtype=np.float64)
        return cls(np.zeros(0, dtype=np.int64), none, none, none, none, none)

    @classmethod
    def from_rows(cls, rows: npt.ArrayLike) -> Ohlcv:
        """Build from an ``(n, 6)`` table ``ts_open_ms, open, high, low, close, volume``."""
        table = np.asarray(rows, dtype=np.float64).reshape(-1, 6)
        return cls(*(table[:, k] for k in range(6)))

    def window(self, start: int | None = None, stop: int | None = None) -> Ohlcv:
        """Return rows ``[start, stop)`` (Python slice semantics) as a new series."""
        part = slice(start, stop)
        return Ohlcv(
            self.ts_open_ms[part],
            self.open[part],
            self.high[part],
            self.low[part],
            self.close[part],
            self.volume[part],
        )


__all__ = ["FloatArray", "IntArray", "Ohlcv"]
