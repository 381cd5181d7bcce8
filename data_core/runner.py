"""Watch every series of one venue and publish what each closed candle yields."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from data_core.pipeline import MarketPipeline
from market_store.store import CandleStore
from market_store.venues.base import Venue
from signal_bus import Publisher
from signal_schema import Envelope

log = logging.getLogger(__name__)

BeforeClose = Callable[[int, Publisher], Awaitable[None]]
"""Called with a bar's close time before its messages are built (e.g. release due news)."""

AfterPublish = Callable[[str, int], None]
"""Called with a symbol and its bar's close time once the bar's messages are published."""


class MarketRunner:
    """Run one watch per symbol on `venue`, publishing through each symbol's pipeline.

    Parameters
    ----------
    venue
        Live exchange or replay.
    pipelines
        One per symbol (unified symbol → pipeline), warmed up already.
    timeframe
        The bars' timeframe.
    store
        Where live candles are kept; None when the venue reads from the store (replay).
    before_close
        Optional hook run before each bar's messages are built.
    after_publish
        Optional hook run once each bar's messages are published (a replay's position).
    """

    def __init__(
        self,
        venue: Venue,
        pipelines: Mapping[str, MarketPipeline],
        timeframe: str,
        *,
        store: CandleStore | None = None,
        before_close: BeforeClose | None = None,
        after_publish: AfterPublish | None = None,
    ) -> None:
        self.venue = venue
        self.pipelines = dict(pipelines)
        self.timeframe = timeframe
        self._store = store
        self._before_close = before_close
        self._after_publish = after_publish
        self.finished: set[str] = set()

    async def run(self, bus: Publisher) -> None:
        """Watch every symbol until cancelled (a replay's watch ends with its recording)."""
        async with asyncio.TaskGroup() as group:
            for symbol in self.pipelines:  # created together: a replay clock needs them all
                group.create_task(self._watch(symbol, bus), name=f"watch-{symbol}")
        log.info("every watch on %s finished", self.venue.name)

    async def _watch(self, symbol: str, bus: Publisher) -> None:
        pipeline = self.pipelines[symbol]
        key = pipeline.key
        async for candle in self.venue.watch_closed(symbol, self.timeframe):
            if self._store is not None:
                self._store.upsert(key, [candle])
            elif (last := pipeline.features.last_ts_open_ms) is not None and (
                candle.ts_open_ms <= last
            ):
                continue  # a resumed replay: this symbol published the bar before the restart
            close_ms = candle.ts_open_ms + key.timeframe_ms
            if self._before_close is not None:
                await self._before_close(close_ms, bus)
            for message in pipeline.on_candle(candle):
                await bus.publish(Envelope.of(message))
            if self._after_publish is not None:
                self._after_publish(symbol, close_ms)
        self.finished.add(symbol)
        log.info("%s: recording finished after %d bars", key, pipeline.bars)
