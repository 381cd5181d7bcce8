"""One series' path from a closed candle to `Bar`, `GapDetected` and `FeatureFrame`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from data_core.features import FeatureStream
from data_core.messages import bar_message, gap_message
from data_core.news_flow import NewsFlow
from market_store.candles import Candle, MarketKey
from market_store.store import find_gap
from signal_schema import Bar, FeatureFrame, GapDetected

log = logging.getLogger(__name__)


class MarketPipeline:
    """Turn each new closed candle of one series into the messages data_core publishes.

    Parameters
    ----------
    features
        The series' feature stream, already warmed up on the stored history.
    news
        Per-symbol news rows, or None to publish frames without news.
    clock
        Wall clock (UTC) for `ts_init`.
    """

    def __init__(
        self,
        features: FeatureStream,
        news: NewsFlow | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.features = features
        self._news = news
        self._clock = clock
        self.bars = 0
        self.gaps = 0
        self.stale = 0

    @property
    def key(self) -> MarketKey:
        """The series."""
        return self.features.key

    def on_candle(self, candle: Candle) -> list[Bar | GapDetected | FeatureFrame]:
        """Return the messages of `candle`, or none for a candle not newer than the last."""
        key = self.key
        last = self.features.last_ts_open_ms
        if last is not None and candle.ts_open_ms <= last:
            self.stale += 1
            log.warning("%s: candle %d is not newer than %d; dropped", key, candle.ts_open_ms, last)
            return []
        now = self._clock()
        messages: list[Bar | GapDetected | FeatureFrame] = []
        if last is not None and (gap := find_gap(last, candle.ts_open_ms, key.timeframe_ms)):
            self.gaps += 1
            log.warning("%s: %d candles missing before %d", key, gap.missing, candle.ts_open_ms)
            messages.append(gap_message(key, gap, now))
        messages.append(bar_message(key, candle, now))
        close_ms = candle.ts_open_ms + key.timeframe_ms
        news_row = None if self._news is None else self._news.row_at(key.symbol, close_ms)
        messages.append(self.features.on_candle(candle, news_row))
        self.bars += 1
        return messages
