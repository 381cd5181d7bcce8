"""Price-location and range features, all relative to price: Bollinger, ATR, candle, SMA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import talib
from talib import stream

from feature_spec.blocks.base import Block, BlockStream, ratio_or, settle_bars
from feature_spec.ohlcv import FloatArray, Ohlcv


@dataclass(frozen=True)
class Bollinger(Block):
    """Bollinger %B and bandwidth."""

    period: int = 20
    width: float = 2.0
    kind: ClassVar[str] = "bollinger"
    formula: ClassVar[str] = (
        "(up, mid, low) = BBANDS(close, n, k, k); bb_pctb = (close - low) / (up - low) "
        "(0.5 if up = low); bb_width = (up - low) / mid"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"bb_pctb_{self.period}", f"bb_width_{self.period}")

    @property
    def warmup(self) -> int:
        return self.period

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        upper, middle, lower = talib.BBANDS(
            bars.close, timeperiod=self.period, nbdevup=self.width, nbdevdn=self.width
        )
        band = upper - lower
        return [ratio_or(bars.close - lower, band, 0.5), band / middle]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        handle = stream.BBANDS(
            bars.close, timeperiod=self.period, nbdevup=self.width, nbdevdn=self.width
        )
        return _BollingerStream(handle)


class _BollingerStream:
    def __init__(self, bbands: stream.BBANDS) -> None:
        self._bbands = bbands

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        upper, middle, lower = self._bbands.update(close)
        band = upper - lower
        return ((close - lower) / band if band > 0.0 else 0.5, band / middle)


@dataclass(frozen=True)
class Atr(Block):
    """Average true range as a fraction of the close."""

    period: int = 14
    kind: ClassVar[str] = "atr"
    formula: ClassVar[str] = "atr_frac_n = ATR(high, low, close, n) / close"

    @property
    def names(self) -> tuple[str, ...]:
        return (f"atr_frac_{self.period}",)

    @property
    def warmup(self) -> int:
        return self.period + settle_bars(1.0 / self.period) + 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        atr = talib.ATR(bars.high, bars.low, bars.close, timeperiod=self.period)
        return [atr / bars.close]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        return _AtrStream(stream.ATR(bars.high, bars.low, bars.close, timeperiod=self.period))


class _AtrStream:
    def __init__(self, atr: stream.ATR) -> None:
        self._atr = atr

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return (self._atr.update(high, low, close) / close,)


@dataclass(frozen=True)
class CandleShape(Block):
    """The bar's own range and body, scale-free."""

    kind: ClassVar[str] = "candle_shape"
    formula: ClassVar[str] = (
        "range_frac = (high - low) / close; "
        "body_frac = (close - open) / (high - low) (0 if high = low)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return ("range_frac", "body_frac")

    @property
    def warmup(self) -> int:
        return 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        span = bars.high - bars.low
        return [span / bars.close, ratio_or(bars.close - bars.open, span, 0.0)]

    def open(self, bars: Ohlcv) -> BlockStream:
        return _CandleShapeStream()


class _CandleShapeStream:
    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        span = high - low
        return (span / close, (close - open_) / span if span > 0.0 else 0.0)


@dataclass(frozen=True)
class SmaRatios(Block):
    """Distance of the close from simple moving averages, as a fraction."""

    periods: tuple[int, ...] = (50, 200)
    kind: ClassVar[str] = "sma_ratios"
    formula: ClassVar[str] = "close_sma_n = close / SMA(close, n) - 1"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f"close_sma_{n}" for n in self.periods)

    @property
    def warmup(self) -> int:
        return max(self.periods)

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        return [bars.close / talib.SMA(bars.close, timeperiod=n) - 1.0 for n in self.periods]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        return _SmaRatiosStream([stream.SMA(bars.close, timeperiod=n) for n in self.periods])


class _SmaRatiosStream:
    def __init__(self, smas: list[stream.SMA]) -> None:
        self._smas = smas

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return tuple([close / sma.update(close) - 1.0 for sma in self._smas])


__all__ = ["Atr", "Bollinger", "CandleShape", "SmaRatios"]
