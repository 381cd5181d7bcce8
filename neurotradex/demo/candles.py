"""Read the most recent real candles of a shared-data CSV.gz file as `Bar` messages."""

from __future__ import annotations

import csv
import gzip
from collections import deque
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from signal_schema import Bar

_TIMEFRAME_SECS = {"1m": 60, "5m": 300, "1h": 3_600}


def candle_file(data_dir: Path, symbol: str, timeframe: str) -> Path:
    """Path of the Binance candle file for `symbol` (BTC/USDT) and `timeframe`."""
    return data_dir / "ohlcv" / "binance" / f"{symbol.replace('/', '_')}-{timeframe}.csv.gz"


def read_recent_bars(path: Path, symbol: str, timeframe: str, count: int) -> list[Bar]:
    """Return the last `count` candles of `path` as closed bars, oldest first."""
    if not path.exists():
        raise FileNotFoundError(f"no candle file at {path}")
    span = timedelta(seconds=_TIMEFRAME_SECS[timeframe])
    with gzip.open(path, "rt", newline="") as handle:
        rows = deque(csv.DictReader(handle), maxlen=count)
    now = datetime.now(UTC)
    bars = []
    for row in rows:
        opened = datetime.fromtimestamp(int(row["timestamp"]) / 1000, UTC)
        bars.append(
            Bar(
                ts_event=opened + span,
                ts_init=now,
                venue="binance",
                symbol=symbol,
                timeframe=timeframe,
                ts_open=opened,
                open=Decimal(row["open"]),
                high=Decimal(row["high"]),
                low=Decimal(row["low"]),
                close=Decimal(row["close"]),
                volume=Decimal(row["volume"]),
            )
        )
    return bars
