"""Real 5-minute candles of the seven shared pairs, cut into time-shifted stream slices."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from feature_spec import Ohlcv
from market_store.candles import Candle, MarketKey

PAIRS = ("BTC", "ETH", "BNB", "SOL", "XRP", "ADA", "LTC")
TIMEFRAME = "5m"
VENUE = "binance"


def default_data_dir() -> Path:
    """Return ``NTX_DATA_DIR``, or ``../shared/data`` beside the repository."""
    configured = os.environ.get("NTX_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def load_pair(data_dir: Path, base: str, timeframe: str = TIMEFRAME) -> Ohlcv:
    """Read ``ohlcv/binance/<BASE>_USDT-<tf>.csv.gz`` into arrays."""
    path = data_dir / "ohlcv" / VENUE / f"{base}_USDT-{timeframe}.csv.gz"
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", skiprows=1, dtype=np.float64)
    return Ohlcv.from_rows(table)


def candle_at(bars: Ohlcv, index: int) -> Candle:
    """Return bar `index` as a `Candle` with the decimals of the source file.

    The files hold at most 15 significant digits, so the shortest float repr is the file's text.
    """
    return Candle(
        int(bars.ts_open_ms[index]),
        Decimal(repr(float(bars.open[index]))),
        Decimal(repr(float(bars.high[index]))),
        Decimal(repr(float(bars.low[index]))),
        Decimal(repr(float(bars.close[index]))),
        Decimal(repr(float(bars.volume[index]))),
    )


@dataclass(frozen=True)
class StreamSlice:
    """One benchmark stream: a pair, where its warm-up starts, and how long each part is."""

    key: MarketKey
    bars: Ohlcv
    start: int
    warmup: int
    updates: int

    def history(self) -> Ohlcv:
        """Return the warm-up bars."""
        return self.bars.window(self.start, self.start + self.warmup)

    def candle(self, step: int) -> Candle:
        """Return the candle of update `step` (0-based)."""
        return candle_at(self.bars, self.start + self.warmup + step)


def make_slices(
    series: dict[str, Ohlcv], streams: int, warmup: int, updates: int
) -> list[StreamSlice]:
    """Spread `streams` slices evenly over the pairs, each shifted in time from the last."""
    slices = []
    per_pair = -(-streams // len(series))
    for i in range(streams):
        base = list(series)[i % len(series)]
        bars = series[base]
        room = len(bars) - warmup - updates
        if room < 0:
            raise ValueError(f"{base}: {len(bars)} bars cannot hold {warmup + updates}")
        start = (i // len(series)) * (room // per_pair)
        key = MarketKey(VENUE, f"{base}/USDT", TIMEFRAME)
        slices.append(StreamSlice(key, bars, start, warmup, updates))
    return slices


__all__ = [
    "PAIRS",
    "StreamSlice",
    "candle_at",
    "default_data_dir",
    "load_pair",
    "make_slices",
]
