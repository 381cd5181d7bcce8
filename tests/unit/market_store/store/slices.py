"""Small candle files made of real rows, written into a test's temporary folder."""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

from market_store.candles import MarketKey
from tests.data_paths import candle_file

HEADER = "timestamp,open,high,low,close,volume\n"
BTC_1H = MarketKey("binance", "BTC/USDT", "1h")


def real_lines(base: str, timeframe: str, count: int, start: int = 0) -> list[str]:
    """Return ``count`` data lines of a real file from row ``start`` on, newlines kept."""
    with gzip.open(candle_file(base, timeframe), "rt", newline="") as text:
        next(text)
        return list(islice(text, start, start + count))


def write_file(folder: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    """Write ``<folder>/binance/<name>`` as a gzip candle file and return its path."""
    path = folder / "binance" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", newline="") as text:
        text.write(header + "".join(lines))
    return path
