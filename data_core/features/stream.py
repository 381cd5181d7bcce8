"""`FeatureStream`: one series' candles in, `FeatureFrame` messages out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

import numpy.typing as npt

from data_core.clock import ms_to_utc
from feature_spec import FeatureSpec, Ohlcv, StreamingFeatures
from market_store.candles import Candle, MarketKey, timeframe_ms
from signal_schema import FeatureFrame

logger = logging.getLogger(__name__)

HISTORY_WARMUPS = 3
"""By default warm up on this many times the spec's warm-up bars."""


class ArraySource(Protocol):
    """Where history comes from: `market_store.store.CandleStore` fits."""

    def read_arrays(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        last: int | None = None,
    ) -> Ohlcv:
        """Return candles opening in ``[start_ms, end_ms)``, only the newest `last` if given."""
        ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FeatureStream:
    """Feature frames of one series (venue, symbol, timeframe), bar by bar.

    Parameters
    ----------
    spec
        The feature spec (the model's).
    key
        The series; it names every frame.
    clock
        Returns the current UTC time, for ``ts_init``.
    """

    def __init__(
        self,
        spec: FeatureSpec,
        key: MarketKey,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._spec = spec
        self._key = key
        self._clock = clock
        self._tf_ms = timeframe_ms(key.timeframe)
        self._features = StreamingFeatures(spec)
        self._names = spec.names
        self._cold: tuple[float | None, ...] = (None,) * len(spec.names)

    @property
    def key(self) -> MarketKey:
        """Return the series."""
        return self._key

    @property
    def spec(self) -> FeatureSpec:
        """Return the spec."""
        return self._spec

    @property
    def warm(self) -> bool:
        """Return whether the next frame carries values."""
        return self._features.warm

    @property
    def last_ts_open_ms(self) -> int | None:
        """Return the open time of the last candle taken in, or None before any."""
        return self._features.last_ts_open_ms

    def warm_up(self, ohlcv: Ohlcv, news: npt.ArrayLike | None = None) -> None:
        """Replace the state with the history `ohlcv` (oldest first; any length)."""
        self._features.warm_up(ohlcv, news)

    def warm_up_from(
        self,
        source: ArraySource,
        *,
        end_ms: int | None = None,
        history_bars: int | None = None,
    ) -> int:
        """Warm up on the newest stored candles of the key.

        Parameters
        ----------
        source
            The store.
        end_ms
            Use only candles opening before this time (None: all stored).
        history_bars
            How many candles to read; by default ``HISTORY_WARMUPS * spec.warmup_bars``. Any
            count of at least ``spec.warmup_bars`` gives the same values (to ~1e-9): every
            feature has settled by then.

        Returns
        -------
        int
            The number of candles read.
        """
        count = (
            history_bars if history_bars is not None else HISTORY_WARMUPS * self._spec.warmup_bars
        )
        bars = source.read_arrays(self._key, end_ms=end_ms, last=count)
        self.warm_up(bars)
        return len(bars)

    def on_candle(self, candle: Candle, news_row: npt.ArrayLike | None = None) -> FeatureFrame:
        """Take in the next closed candle and return its frame.

        Parameters
        ----------
        candle
            The candle after the last one taken in.
        news_row
            The bar's news columns (``NewsAccumulator.row_at(close_ms)``), None for no news.

        Returns
        -------
        FeatureFrame
            ``ts_event`` is the candle's close time; ``values`` are None until warm (and for a
            feature whose value is not finite, which also makes the frame not warm).

        Raises
        ------
        ValueError
            If the candle does not open after the previous one.
        """
        values = self._features.update_values(
            candle.ts_open_ms,
            float(candle.open),
            float(candle.high),
            float(candle.low),
            float(candle.close),
            float(candle.volume),
            news_row,
        )
        frame_values, warm = self._frame_values(values)
        return FeatureFrame(
            ts_event=ms_to_utc(candle.ts_open_ms + self._tf_ms),
            ts_init=self._clock(),
            venue=self._key.venue,
            symbol=self._key.symbol,
            timeframe=self._key.timeframe,
            spec_version=self._spec.version,
            close=candle.close,
            names=self._names,
            values=frame_values,
            warm=warm,
        )

    def _frame_values(self, values: list[float]) -> tuple[tuple[float | None, ...], bool]:
        total = sum(values)
        if total - total == 0.0:  # all finite: the common case, checked in one pass
            return tuple(values), True
        if self._features.bars_seen <= self._spec.warmup_bars:  # a warm-up row: all NaN
            return self._cold, False
        finite = tuple(v if v - v == 0.0 else None for v in values)
        missing = [n for n, v in zip(self._names, finite, strict=True) if v is None]
        logger.warning("%s: features not finite after warm-up: %s", self._key, missing)
        return finite, False


__all__ = ["HISTORY_WARMUPS", "ArraySource", "FeatureStream"]
