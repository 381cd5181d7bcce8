"""Stored rows: a candle as the database holds it (exact decimal text) and back."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from feature_spec import Ohlcv
from market_store.candles import Candle

Row = tuple[int, str, str, str, str, str]
"""A stored candle: open time in ms, then open, high, low, close and volume as decimal text."""


def row_of(candle: Candle) -> Row:
    """Return a candle as a stored row, its decimals in fixed-point text (never ``1E-8``)."""
    return (
        candle.ts_open_ms,
        format(candle.open, "f"),
        format(candle.high, "f"),
        format(candle.low, "f"),
        format(candle.close, "f"),
        format(candle.volume, "f"),
    )


def candle_of(row: Row) -> Candle:
    """Return a stored row as a candle with exact decimals."""
    ts, o, h, low, c, v = row
    return Candle(ts, Decimal(o), Decimal(h), Decimal(low), Decimal(c), Decimal(v))


def ohlcv_of(rows: Sequence[Row]) -> Ohlcv:
    """Return stored rows as float64 columns, each decimal correctly rounded (as ``float()``)."""
    ts = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    values = np.array([row[1:] for row in rows], dtype=np.str_).reshape(len(rows), 5)
    table = values.astype(np.float64)
    return Ohlcv(ts, *(table[:, i] for i in range(5)))
