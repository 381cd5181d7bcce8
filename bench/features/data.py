"""Real 5-minute candles of the seven shared pairs, cut into time-shifted stream slices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from feature_spec import Ohlcv
from market_store.candles import Candle, MarketKey
from market_store.loader import CandleLoader

PAIRS = ("BTC", "ETH", "BNB", "SOL", "XRP", "ADA", "LTC")
TIMEFRAME = "5m"
VENUE = "binance"


def load_pairs(timeframe: str = TIMEFRAME) -> dict[str, Ohlcv]:
    """Return the whole history of the seven pairs at `timeframe` (through the one loader)."""
    with CandleLoader.open() as loader:
        candles = loader.load_all([f"{base}/USDT" for base in PAIRS], timeframe)
    return {base: candles[f"{base}/USDT"] for base in PAIRS}


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
    "load_pairs",
    "make_slices",
]
