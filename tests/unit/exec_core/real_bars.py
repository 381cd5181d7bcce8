"""Real Binance BTC/USDT 1h bars from the test data (`tests.data_paths`), as `Bar` messages."""

from __future__ import annotations

import csv
import gzip
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from signal_schema import Bar
from tests.data_paths import candle_file

HOUR = timedelta(hours=1)


@lru_cache(maxsize=8)
def _rows(first_open: datetime, count: int) -> tuple[tuple[str, ...], ...]:
    start = int(first_open.timestamp() * 1000)
    out: list[tuple[str, ...]] = []
    with gzip.open(candle_file("BTC", "1h"), "rt", newline="") as handle:
        for row in csv.DictReader(handle):
            if int(row["timestamp"]) >= start:
                out.append(
                    tuple(row[k] for k in ("timestamp", "open", "high", "low", "close", "volume"))
                )
                if len(out) == count:
                    break
    return tuple(out)


def real_bars(first_open: datetime, count: int) -> list[Bar]:
    """Return `count` consecutive real 1h bars, the first opening at `first_open` (UTC)."""
    bars = []
    for ts, o, h, low, c, v in _rows(first_open, count):
        opened = datetime.fromtimestamp(int(ts) / 1000, UTC)
        bars.append(
            Bar(
                ts_event=opened + HOUR,
                ts_init=opened + HOUR,
                venue="binance",
                symbol="BTC/USDT",
                timeframe="1h",
                ts_open=opened,
                open=Decimal(o),
                high=Decimal(h),
                low=Decimal(low),
                close=Decimal(c),
                volume=Decimal(v),
            )
        )
    assert len(bars) == count, f"the candle file has fewer than {count} bars from {first_open}"
    return bars
