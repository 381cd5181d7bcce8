"""What every feature block provides: a batch path, a streaming path, a canonical definition.

A block turns candles into one or more named feature columns. Both paths evaluate the same
formula with the same IEEE operations in the same order, so a block's stream, opened on a
history and updated bar by bar, reproduces its batch columns bit for bit:

- windowed and smoothed quantities go through TA-Lib, whose 0.8 stream handles run the very
  C code of the batch functions;
- element-wise arithmetic uses only ``+ - * /`` and ``sqrt`` (correctly rounded both in numpy
  and in Python floats); logarithms and trigonometry use the C library in both paths
  (``talib.LN``/``SIN``/``COS`` on arrays, ``math.log``/``sin``/``cos`` on floats), because
  numpy's own SIMD ``log`` differs from the C library's in the last bit now and then.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import ClassVar, Protocol

import numpy as np
import talib

from feature_spec.ohlcv import FloatArray, Ohlcv

SETTLE_TOLERANCE = 1e-9
"""A smoothed indicator has settled once its seed weighs less than this."""


class BlockStream(Protocol):
    """Streaming state of one block: one call per new bar, O(1) work and memory."""

    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        """Consume one bar and return the block's values for it, in the order of its names."""
        ...


class Block(ABC):
    """A group of features computed together (their parameters are dataclass fields).

    Subclasses are frozen dataclasses that set `kind` and `formula`. `formula` states the
    definition in words; it is part of the spec's version, so edit it whenever the
    computation changes.
    """

    kind: ClassVar[str]
    formula: ClassVar[str]

    @property
    @abstractmethod
    def names(self) -> tuple[str, ...]:
        """Return the feature names, in output order."""

    @property
    @abstractmethod
    def warmup(self) -> int:
        """Return how many bars it takes until every value is defined and settled."""

    @abstractmethod
    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        """Compute every feature column over `bars` (values before `warmup` are unspecified)."""

    @abstractmethod
    def open(self, bars: Ohlcv) -> BlockStream:
        """Open a stream on a history of at least `warmup` bars; it continues after its end."""

    def definition(self) -> dict[str, object]:
        """Return the canonical definition that the spec's version hashes."""
        fields: dict[str, object] = getattr(self, "__dataclass_fields__", {})
        params = {name: getattr(self, name) for name in fields}
        return {
            "kind": self.kind,
            "formula": self.formula,
            "params": params,
            "names": list(self.names),
        }

    def _require_history(self, bars: Ohlcv) -> None:
        if len(bars) < self.warmup:
            raise ValueError(f"{self.kind} needs {self.warmup} bars to open, got {len(bars)}")


def settle_bars(alpha: float) -> int:
    """Return the bars an exponential smoother with weight `alpha` needs to forget its seed."""
    return math.ceil(math.log(SETTLE_TOLERANCE) / math.log(1.0 - alpha))


def ratio_or(num: FloatArray, den: FloatArray, fallback: float) -> FloatArray:
    """Return ``num / den`` where ``den > 0`` and `fallback` elsewhere (NaN den included)."""
    out = np.full(num.shape, fallback, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0.0)
    return out


def log_ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """Return ``ln(num / den)`` element-wise with the C library's ``log``."""
    return talib.LN(num / den)


__all__ = ["Block", "BlockStream", "log_ratio", "ratio_or", "settle_bars"]
