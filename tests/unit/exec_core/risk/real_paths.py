"""Real Binance BTC/USDT 1h candles between two dates, as exact decimals."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tests.data_paths import candle_file


@dataclass(frozen=True, slots=True)
class Candle:
    """One hourly candle; `close_at` is its close time."""

    close_at: datetime
    high: Decimal
    low: Decimal
    close: Decimal


def candles(start: str, end: str) -> list[Candle]:
    """Return BTC/USDT 1h candles opening in [start, end) (ISO dates, UTC)."""
    lo = int(datetime.fromisoformat(start).replace(tzinfo=UTC).timestamp() * 1000)
    hi = int(datetime.fromisoformat(end).replace(tzinfo=UTC).timestamp() * 1000)
    out: list[Candle] = []
    with gzip.open(candle_file("BTC", "1h"), "rt", newline="") as handle:
        for row in csv.DictReader(handle):
            ts = int(row["timestamp"])
            if lo <= ts < hi:
                close_at = datetime.fromtimestamp((ts + 3_600_000) / 1000, UTC)
                out.append(
                    Candle(close_at, Decimal(row["high"]), Decimal(row["low"]),
                           Decimal(row["close"]))
                )  # fmt: skip
            elif ts >= hi:
                break
    return out
