"""News between ingestion and features: publish each item, keep per-symbol accumulators."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from data_core.news import EnrichedNews, NewsEnricher, RawEntry, news_arrays
from feature_spec.news import NewsAccumulator
from signal_bus import Publisher
from signal_schema import Envelope

log = logging.getLogger(__name__)


class NewsFlow:
    """Enrich raw entries, publish them as `NewsItem`, and serve news rows per symbol and bar.

    Parameters
    ----------
    enricher
        Scores and embeds entries (CPU work: run in a thread).
    symbols
        The symbols whose news features are kept.
    half_life_secs
        The spec's news half-life.
    """

    def __init__(
        self, enricher: NewsEnricher, symbols: Sequence[str], half_life_secs: float
    ) -> None:
        self._enricher = enricher
        self._accumulators = {s: NewsAccumulator(half_life_secs) for s in symbols}
        self.published = 0
        self._bus: Publisher | None = None

    def attach(self, bus: Publisher) -> None:
        """Publish what `sink` receives on `bus` from now on."""
        self._bus = bus

    async def sink(self, enriched: list[EnrichedNews]) -> None:
        """Take a poll's new items (`NewsPoller`'s sink): publish them once a bus is attached."""
        if self._bus is None:
            self.add(enriched)
            return
        await self.publish(enriched, self._bus)

    async def take(
        self, entries: Sequence[RawEntry], now_ms: int, bus: Publisher | None
    ) -> list[EnrichedNews]:
        """Enrich `entries`, feed the accumulators, and publish them when `bus` is given."""
        if not entries:
            return []
        enriched = await asyncio.to_thread(self._enricher.enrich, entries, now_ms)
        if bus is None:
            self.add(enriched)
        else:
            await self.publish(enriched, bus)
        return enriched

    async def publish(self, enriched: Sequence[EnrichedNews], bus: Publisher) -> None:
        """Feed the accumulators and publish each item (the poller's sink)."""
        self.add(enriched)
        for news in enriched:
            await bus.publish(Envelope.of(news.item))
        self.published += len(enriched)

    def add(self, enriched: Sequence[EnrichedNews]) -> None:
        """Feed already enriched items to the accumulators of the symbols they mention."""
        for symbol, accumulator in self._accumulators.items():
            arrays = news_arrays(enriched, symbol)
            if len(arrays.ts_ms):
                accumulator.update(arrays)

    def row_at(self, symbol: str, bar_close_ms: int) -> npt.NDArray[np.float64] | None:
        """Return the news columns of `symbol`'s bar closing at `bar_close_ms` (None: not kept)."""
        accumulator = self._accumulators.get(symbol)
        return None if accumulator is None else accumulator.row_at(bar_close_ms)
