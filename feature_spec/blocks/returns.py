"""Return-based features: log returns, realised volatility, trend efficiency."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import talib
from talib import stream

from feature_spec.blocks.base import Block, BlockStream, log_ratio, ratio_or
from feature_spec.ohlcv import FloatArray, Ohlcv


def one_bar_log_returns(close: FloatArray) -> FloatArray:
    """Return ``ln(close[t] / close[t-1])``, with 0 at the first bar (it has no predecessor)."""
    out = np.zeros(close.shape, dtype=np.float64)
    if close.size > 1:
        out[1:] = log_ratio(close[1:], close[:-1])
    return out


class _CloseRing:
    """The last `size` closes, to look `k <= size` bars back in O(1)."""

    __slots__ = ("_closes", "_pos", "_size")

    def __init__(self, close: FloatArray, size: int) -> None:
        self._size = size
        self._closes: list[float] = close[-size:].tolist()
        self._pos = 0

    def back(self, k: int) -> float:
        """Return the close `k` bars before the bar being added."""
        return self._closes[(self._pos - k) % self._size]

    def push(self, close: float) -> None:
        """Add the current bar's close, forgetting the oldest."""
        self._closes[self._pos] = close
        self._pos = (self._pos + 1) % self._size


@dataclass(frozen=True)
class LogReturns(Block):
    """Log returns over several horizons (in bars)."""

    horizons: tuple[int, ...] = (1, 4, 16, 64)
    kind: ClassVar[str] = "log_returns"
    formula: ClassVar[str] = "ret_log_k = ln(close[t] / close[t-k])"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f"ret_log_{k}" for k in self.horizons)

    @property
    def warmup(self) -> int:
        return max(self.horizons) + 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        close = bars.close
        columns = []
        for k in self.horizons:
            column = np.full(close.shape, np.nan)
            if close.size > k:
                column[k:] = log_ratio(close[k:], close[:-k])
            columns.append(column)
        return columns

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        return _LogReturnsStream(self.horizons, _CloseRing(bars.close, max(self.horizons)))


class _LogReturnsStream:
    def __init__(self, horizons: tuple[int, ...], ring: _CloseRing) -> None:
        self._horizons = horizons
        self._ring = ring

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        ring = self._ring
        values = tuple([math.log(close / ring.back(k)) for k in self._horizons])
        ring.push(close)
        return values


@dataclass(frozen=True)
class RealisedVolatility(Block):
    """Realised volatility per bar over a short window, and its ratio to a long window."""

    short: int = 24
    long: int = 96
    kind: ClassVar[str] = "realised_volatility"
    formula: ClassVar[str] = (
        "r = ln(close[t]/close[t-1]); rv_n = sqrt(max(SUM(r*r, n), 0) / n); "
        "rv_<short> = rv_short; rv_ratio = rv_short / rv_long (1 if rv_long = 0)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"rv_{self.short}", f"rv_ratio_{self.short}_{self.long}")

    @property
    def warmup(self) -> int:
        return max(self.short, self.long) + 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        r = one_bar_log_returns(bars.close)
        squared = r * r
        rv_short = _rv(talib.SUM(squared, timeperiod=self.short), self.short)
        rv_long = _rv(talib.SUM(squared, timeperiod=self.long), self.long)
        return [rv_short, ratio_or(rv_short, rv_long, 1.0)]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        r = one_bar_log_returns(bars.close)
        squared = r * r
        return _VolatilityStream(
            self.short,
            self.long,
            stream.SUM(squared, timeperiod=self.short),
            stream.SUM(squared, timeperiod=self.long),
            float(bars.close[-1]),
        )


def _rv(window_sum: FloatArray, n: int) -> FloatArray:
    result: FloatArray = np.sqrt(np.where(window_sum > 0.0, window_sum, 0.0) / n)
    return result


class _VolatilityStream:
    def __init__(
        self, short: int, long: int, sum_short: stream.SUM, sum_long: stream.SUM, prev: float
    ) -> None:
        self._short, self._long = short, long
        self._sum_short, self._sum_long = sum_short, sum_long
        self._prev = prev

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        r = math.log(close / self._prev)
        self._prev = close
        squared = r * r
        s_short = self._sum_short.update(squared)
        s_long = self._sum_long.update(squared)
        rv_short = math.sqrt((s_short if s_short > 0.0 else 0.0) / self._short)
        rv_long = math.sqrt((s_long if s_long > 0.0 else 0.0) / self._long)
        return (rv_short, rv_short / rv_long if rv_long > 0.0 else 1.0)


@dataclass(frozen=True)
class Efficiency(Block):
    """Kaufman's efficiency ratio, signed: net move over the path travelled."""

    period: int = 16
    kind: ClassVar[str] = "efficiency"
    formula: ClassVar[str] = (
        "r = ln(close[t]/close[t-1]); "
        "efficiency_n = ln(close[t]/close[t-n]) / SUM(|r|, n) (0 if the sum is 0)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"efficiency_{self.period}",)

    @property
    def warmup(self) -> int:
        return self.period + 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        n, close = self.period, bars.close
        net = np.full(close.shape, np.nan)
        if close.size > n:
            net[n:] = log_ratio(close[n:], close[:-n])
        path = talib.SUM(np.abs(one_bar_log_returns(close)), timeperiod=n)
        return [ratio_or(net, path, 0.0)]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        path = stream.SUM(np.abs(one_bar_log_returns(bars.close)), timeperiod=self.period)
        return _EfficiencyStream(self.period, _CloseRing(bars.close, self.period), path)


class _EfficiencyStream:
    def __init__(self, period: int, ring: _CloseRing, path: stream.SUM) -> None:
        self._period, self._ring, self._path = period, ring, path

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        ring = self._ring
        net = math.log(close / ring.back(self._period))
        path = self._path.update(abs(math.log(close / ring.back(1))))
        ring.push(close)
        return (net / path if path > 0.0 else 0.0,)


__all__ = ["Efficiency", "LogReturns", "RealisedVolatility", "one_bar_log_returns"]
