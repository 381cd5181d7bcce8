"""Momentum oscillators from TA-Lib, rescaled to unit ranges: RSI, MACD, stochastic, ADX, MFI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import talib
from talib import stream

from feature_spec.blocks.base import Block, BlockStream, settle_bars
from feature_spec.ohlcv import FloatArray, Ohlcv


def _wilder_warmup(period: int, lookback: int) -> int:
    """Bars until a Wilder-smoothed (alpha = 1/period) indicator has forgotten its seed."""
    return lookback + settle_bars(1.0 / period) + 1


@dataclass(frozen=True)
class Rsi(Block):
    """Relative strength index on [0, 1]."""

    period: int = 14
    kind: ClassVar[str] = "rsi"
    formula: ClassVar[str] = "rsi_n = RSI(close, n) / 100"

    @property
    def names(self) -> tuple[str, ...]:
        return (f"rsi_{self.period}",)

    @property
    def warmup(self) -> int:
        return _wilder_warmup(self.period, self.period)

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        return [talib.RSI(bars.close, timeperiod=self.period) / 100.0]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        return _RsiStream(stream.RSI(bars.close, timeperiod=self.period))


class _RsiStream:
    def __init__(self, rsi: stream.RSI) -> None:
        self._rsi = rsi

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return (self._rsi.update(close) / 100.0,)


@dataclass(frozen=True)
class Macd(Block):
    """MACD line, signal and histogram as fractions of the close."""

    fast: int = 12
    slow: int = 26
    signal: int = 9
    kind: ClassVar[str] = "macd"
    formula: ClassVar[str] = "(line, signal, hist) = MACD(close, fast, slow, signal) / close"

    @property
    def names(self) -> tuple[str, ...]:
        return ("macd_line", "macd_signal", "macd_hist")

    @property
    def warmup(self) -> int:
        lookback = self.slow + self.signal - 2
        return lookback + settle_bars(2.0 / (self.slow + 1)) + 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        close = bars.close
        line, signal, hist = talib.MACD(close, **self._periods())
        return [line / close, signal / close, hist / close]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        return _MacdStream(stream.MACD(bars.close, **self._periods()))

    def _periods(self) -> dict[str, int]:
        return {"fastperiod": self.fast, "slowperiod": self.slow, "signalperiod": self.signal}


class _MacdStream:
    def __init__(self, macd: stream.MACD) -> None:
        self._macd = macd

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        line, signal, hist = self._macd.update(close)
        return (line / close, signal / close, hist / close)


@dataclass(frozen=True)
class Stochastic(Block):
    """Slow stochastic %K and %D on [0, 1]."""

    fastk: int = 14
    slowk: int = 3
    slowd: int = 3
    kind: ClassVar[str] = "stochastic"
    formula: ClassVar[str] = (
        "(stoch_k, stoch_d) = STOCH(high, low, close, fastk, slowk, slowd; SMA smoothing) / 100"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return ("stoch_k", "stoch_d")

    @property
    def warmup(self) -> int:
        return self.fastk + self.slowk + self.slowd

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        k, d = talib.STOCH(
            bars.high,
            bars.low,
            bars.close,
            fastk_period=self.fastk,
            slowk_period=self.slowk,
            slowd_period=self.slowd,
        )
        return [k / 100.0, d / 100.0]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        handle = stream.STOCH(
            bars.high,
            bars.low,
            bars.close,
            fastk_period=self.fastk,
            slowk_period=self.slowk,
            slowd_period=self.slowd,
        )
        return _StochStream(handle)


class _StochStream:
    def __init__(self, stoch: stream.STOCH) -> None:
        self._stoch = stoch

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        k, d = self._stoch.update(high, low, close)
        return (k / 100.0, d / 100.0)


@dataclass(frozen=True)
class Adx(Block):
    """Trend strength (ADX) and direction (+DI minus -DI), both on a 0-1 scale."""

    period: int = 14
    kind: ClassVar[str] = "adx"
    formula: ClassVar[str] = (
        "adx_n = ADX(high, low, close, n) / 100; "
        "di_spread_n = (PLUS_DI(high, low, close, n) - MINUS_DI(high, low, close, n)) / 100"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"adx_{self.period}", f"di_spread_{self.period}")

    @property
    def warmup(self) -> int:
        # ADX smooths DX, itself made of smoothed moves: two stacked seeds.
        return _wilder_warmup(self.period, 2 * self.period - 1) + self.period

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        h, lo, c, n = bars.high, bars.low, bars.close, self.period
        adx = talib.ADX(h, lo, c, timeperiod=n)
        spread = talib.PLUS_DI(h, lo, c, timeperiod=n) - talib.MINUS_DI(h, lo, c, timeperiod=n)
        return [adx / 100.0, spread / 100.0]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        h, lo, c, n = bars.high, bars.low, bars.close, self.period
        return _AdxStream(
            stream.ADX(h, lo, c, timeperiod=n),
            stream.PLUS_DI(h, lo, c, timeperiod=n),
            stream.MINUS_DI(h, lo, c, timeperiod=n),
        )


class _AdxStream:
    def __init__(self, adx: stream.ADX, plus: stream.PLUS_DI, minus: stream.MINUS_DI) -> None:
        self._adx, self._plus, self._minus = adx, plus, minus

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        adx = self._adx.update(high, low, close)
        spread = self._plus.update(high, low, close) - self._minus.update(high, low, close)
        return (adx / 100.0, spread / 100.0)


@dataclass(frozen=True)
class Mfi(Block):
    """Money flow index on [0, 1]."""

    period: int = 14
    kind: ClassVar[str] = "mfi"
    formula: ClassVar[str] = "mfi_n = MFI(high, low, close, volume, n) / 100"

    @property
    def names(self) -> tuple[str, ...]:
        return (f"mfi_{self.period}",)

    @property
    def warmup(self) -> int:
        return self.period + 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        mfi = talib.MFI(bars.high, bars.low, bars.close, bars.volume, timeperiod=self.period)
        return [mfi / 100.0]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        h, lo, c, v = bars.high, bars.low, bars.close, bars.volume
        return _MfiStream(stream.MFI(h, lo, c, v, timeperiod=self.period))


class _MfiStream:
    def __init__(self, mfi: stream.MFI) -> None:
        self._mfi = mfi

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return (self._mfi.update(high, low, close, volume) / 100.0,)


__all__ = ["Adx", "Macd", "Mfi", "Rsi", "Stochastic"]
