"""Streaming features: one bar at a time, each row equal to the batch row of the same bar."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from feature_spec.batch import news_matrix
from feature_spec.blocks import BlockStream
from feature_spec.ohlcv import FloatArray, Ohlcv
from feature_spec.spec import FeatureSpec


class StreamingFeatures:
    """Incremental twin of `compute_batch` for one series.

    Warm it up on the series' history, then feed each new closed bar: the row returned for a
    bar equals row ``t`` of ``compute_batch(spec, history + bars so far)`` exactly (same
    operations in the same order; see `feature_spec.blocks.base`).

    Until ``spec.warmup_bars`` bars have been seen the bars are buffered and rows are NaN; then
    every block opens its TA-Lib stream handles on the buffered history and from there on an
    update is O(1) in time and memory.

    Parameters
    ----------
    spec
        The feature spec.
    """

    def __init__(self, spec: FeatureSpec) -> None:
        self._spec = spec
        self._width = len(spec.names)
        self._news_width = len(spec.news_names)
        self._zero_news = [0.0] * self._news_width
        self._reset()

    def _reset(self) -> None:
        self._streams: list[BlockStream] | None = None
        self._pending: list[tuple[float, ...]] = []
        self._bars = 0
        self._last_ts: int | None = None

    @property
    def spec(self) -> FeatureSpec:
        """Return the spec."""
        return self._spec

    @property
    def bars_seen(self) -> int:
        """Return how many bars (warm-up included) the state holds."""
        return self._bars

    @property
    def warm(self) -> bool:
        """Return whether the next update yields a full row."""
        return self._bars >= self._spec.warmup_bars

    @property
    def last_ts_open_ms(self) -> int | None:
        """Return the open time of the last bar seen, or None before any."""
        return self._last_ts

    def warm_up(self, ohlcv: Ohlcv, news: npt.ArrayLike | None = None) -> None:
        """Replace the state with the history `ohlcv` (oldest first; may be short or empty).

        `news` (the history's news columns) is only checked: news columns are passed through
        per bar and carry no state.
        """
        news_matrix(self._spec, news, len(ohlcv))
        self._reset()
        self._bars = len(ohlcv)
        if self._bars:
            self._last_ts = int(ohlcv.ts_open_ms[-1])
        if self._bars >= self._spec.warmup_bars:
            self._open(ohlcv)
        else:
            self._pending = [
                tuple(row)
                for row in zip(
                    ohlcv.ts_open_ms.tolist(),
                    ohlcv.open.tolist(),
                    ohlcv.high.tolist(),
                    ohlcv.low.tolist(),
                    ohlcv.close.tolist(),
                    ohlcv.volume.tolist(),
                    strict=True,
                )
            ]

    def update(
        self,
        ts_open_ms: int,
        open_: float,
        high: float,
        low: float,
        close: float,
        volume: float,
        news_row: npt.ArrayLike | None = None,
    ) -> FloatArray:
        """Consume the next closed bar and return its ``(len(spec.names),)`` feature row.

        Raises
        ------
        ValueError
            If the bar does not open after the previous one, or `news_row` has the wrong size.
        """
        values = self.update_values(ts_open_ms, open_, high, low, close, volume, news_row)
        return np.array(values, dtype=np.float64)

    def update_values(
        self,
        ts_open_ms: int,
        open_: float,
        high: float,
        low: float,
        close: float,
        volume: float,
        news_row: npt.ArrayLike | None = None,
    ) -> list[float]:
        """Do what `update` does but return a list of floats (avoids an array on hot paths)."""
        if self._last_ts is not None and ts_open_ms <= self._last_ts:
            raise ValueError(f"bar opening at {ts_open_ms} does not follow {self._last_ts}")
        news = self._news_values(news_row)
        self._last_ts = ts_open_ms
        self._bars += 1
        streams = self._streams
        if streams is None:
            self._pending.append((ts_open_ms, open_, high, low, close, volume))
            if self._bars >= self._spec.warmup_bars:
                self._open(Ohlcv.from_rows(self._pending))
            return [math.nan] * self._width
        values: list[float] = []
        for block_stream in streams:
            values += block_stream.update(ts_open_ms, open_, high, low, close, volume)
        values += news
        return values

    def _news_values(self, news_row: npt.ArrayLike | None) -> Sequence[float]:
        if news_row is None:
            return self._zero_news
        row = np.asarray(news_row, dtype=np.float64).reshape(-1)
        if row.shape[0] != self._news_width:
            raise ValueError(f"news_row must have {self._news_width} values, got {row.shape[0]}")
        values: list[float] = row.tolist()
        return values

    def _open(self, history: Ohlcv) -> None:
        self._streams = [block.open(history) for block in self._spec.blocks]
        self._pending = []


__all__ = ["StreamingFeatures"]
