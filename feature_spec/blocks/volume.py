"""Volume features: OBV/A-D slope z-scores, log-volume z-score, distance from rolling VWAP.

OBV and A/D are running sums whose level depends on where the series starts, so they never
enter the model raw. Their linear-regression slope over a short window depends only on the
last few increments, and its z-score against its own recent history is scale-free: both are
the same whatever the starting bar (up to rounding).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np
import talib
from talib import stream

from feature_spec.blocks.base import Block, BlockStream, ratio_or
from feature_spec.ohlcv import FloatArray, Ohlcv


def _zscore(values: FloatArray, period: int) -> FloatArray:
    mean = talib.SMA(values, timeperiod=period)
    std = talib.STDDEV(values, timeperiod=period, nbdev=1.0)
    return ratio_or(values - mean, std, 0.0)


class _ZScoreStream:
    """z-score of a series against its last `period` values (itself included)."""

    __slots__ = ("_mean", "_std")

    def __init__(self, history: FloatArray, period: int) -> None:
        self._mean = stream.SMA(history, timeperiod=period)
        self._std = stream.STDDEV(history, timeperiod=period, nbdev=1.0)

    def update(self, value: float) -> float:
        mean = self._mean.update(value)
        std = self._std.update(value)
        return (value - mean) / std if std > 0.0 else 0.0


@dataclass(frozen=True)
class FlowSlopeZ(Block):
    """z-score of the slope of on-balance volume (``obv``) or accumulation/distribution (``ad``)."""

    source: Literal["obv", "ad"] = "obv"
    slope: int = 14
    period: int = 96
    kind: ClassVar[str] = "flow_slope_z"
    formula: ClassVar[str] = (
        "s = LINEARREG_SLOPE(OBV(close, volume) or AD(high, low, close, volume), slope); "
        "z = (s - SMA(s, period)) / STDDEV(s, period) (0 if the deviation is 0)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"{self.source}_slope_z",)

    @property
    def warmup(self) -> int:
        return self.slope + self.period

    def _flow(self, bars: Ohlcv) -> FloatArray:
        if self.source == "obv":
            return talib.OBV(bars.close, bars.volume)
        return talib.AD(bars.high, bars.low, bars.close, bars.volume)

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        slope = talib.LINEARREG_SLOPE(self._flow(bars), timeperiod=self.slope)
        return [_zscore(slope, self.period)]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        flow = self._flow(bars)
        slope = talib.LINEARREG_SLOPE(flow, timeperiod=self.slope)
        slope_handle = stream.LINEARREG_SLOPE(flow, timeperiod=self.slope)
        z = _ZScoreStream(slope, self.period)
        if self.source == "obv":
            return _ObvSlopeStream(stream.OBV(bars.close, bars.volume), slope_handle, z)
        ad = stream.AD(bars.high, bars.low, bars.close, bars.volume)
        return _AdSlopeStream(ad, slope_handle, z)


class _ObvSlopeStream:
    def __init__(self, obv: stream.OBV, slope: stream.LINEARREG_SLOPE, z: _ZScoreStream) -> None:
        self._obv, self._slope, self._z = obv, slope, z

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return (self._z.update(self._slope.update(self._obv.update(close, volume))),)


class _AdSlopeStream:
    def __init__(self, ad: stream.AD, slope: stream.LINEARREG_SLOPE, z: _ZScoreStream) -> None:
        self._ad, self._slope, self._z = ad, slope, z

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        flow = self._ad.update(high, low, close, volume)
        return (self._z.update(self._slope.update(flow)),)


@dataclass(frozen=True)
class VolumeZ(Block):
    """z-score of log volume against its recent history."""

    period: int = 48
    kind: ClassVar[str] = "volume_z"
    formula: ClassVar[str] = (
        "x = ln(1 + volume); z = (x - SMA(x, n)) / STDDEV(x, n) (0 if the deviation is 0)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"volume_z_{self.period}",)

    @property
    def warmup(self) -> int:
        return self.period

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        return [_zscore(talib.LN(1.0 + bars.volume), self.period)]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        return _VolumeZStream(_ZScoreStream(talib.LN(1.0 + bars.volume), self.period))


class _VolumeZStream:
    def __init__(self, z: _ZScoreStream) -> None:
        self._z = z

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        return (self._z.update(math.log(1.0 + volume)),)


@dataclass(frozen=True)
class VwapDeviation(Block):
    """Distance of the close from the rolling volume-weighted average price, as a fraction."""

    period: int = 24
    kind: ClassVar[str] = "vwap_deviation"
    formula: ClassVar[str] = (
        "tp = (high + low + close) / 3; vwap = SUM(tp * volume, n) / SUM(volume, n); "
        "vwap_dev_n = close / vwap - 1 (0 if either sum is not positive)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return (f"vwap_dev_{self.period}",)

    @property
    def warmup(self) -> int:
        return self.period

    @staticmethod
    def _traded(bars: Ohlcv) -> FloatArray:
        typical = (bars.high + bars.low + bars.close) / 3.0
        traded: FloatArray = typical * bars.volume
        return traded

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        traded = talib.SUM(self._traded(bars), timeperiod=self.period)
        volume = talib.SUM(bars.volume, timeperiod=self.period)
        valid = (traded > 0.0) & (volume > 0.0)
        vwap = np.divide(traded, volume, out=np.ones_like(traded), where=valid)
        return [np.where(valid, bars.close / vwap - 1.0, 0.0)]

    def open(self, bars: Ohlcv) -> BlockStream:
        self._require_history(bars)
        traded = stream.SUM(self._traded(bars), timeperiod=self.period)
        return _VwapStream(traded, stream.SUM(bars.volume, timeperiod=self.period))


class _VwapStream:
    def __init__(self, traded: stream.SUM, volume: stream.SUM) -> None:
        self._traded, self._volume = traded, volume

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        traded = self._traded.update((high + low + close) / 3.0 * volume)
        total = self._volume.update(volume)
        if traded > 0.0 and total > 0.0:
            return (close / (traded / total) - 1.0,)
        return (0.0,)


__all__ = ["FlowSlopeZ", "VolumeZ", "VwapDeviation"]
