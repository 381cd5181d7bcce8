"""data_core's market loop: prepare history, then watch, publish and (live) keep candles."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from data_core.clock import utc_to_ms
from data_core.features import HISTORY_WARMUPS
from data_core.news import NewsPoller, NewsReplay
from data_core.news_flow import NewsFlow
from data_core.pipeline import MarketPipeline
from data_core.replay.position import ReplayPosition
from data_core.runner import MarketRunner
from feature_spec.news import lookback_ms
from market_store.candles import MarketKey
from market_store.store import CandleStore
from market_store.venues.backfill import backfill
from market_store.venues.base import Venue, VenueError
from market_store.venues.policy import RetryPolicy, retrying
from signal_bus import Publisher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewsInputs:
    """Where news comes from: a recorded replay, live feeds, or neither."""

    flow: NewsFlow
    replay: NewsReplay | None = None
    poller: NewsPoller | None = None


class MarketData:
    """Everything data_core publishes about markets, for one venue and timeframe.

    Parameters
    ----------
    venue
        A live exchange, or a `ReplayVenue` (`replay_start_ms` set).
    store
        The candle store (history, warm-up, and where live candles are kept).
    pipelines
        One per unified symbol.
    history_bars
        Live only: candles backfilled before watching (at least the features' warm-up).
    replay_start_ms
        Replay only: the simulated time the replay starts at.
    position
        Replay only: where a previous run stopped (each symbol resumes after its last
        published bar), updated as bars are published and removed once the recording ends.
    news
        News inputs, or None to run without news.
    wall_clock
        Returns the current UTC time.
    """

    def __init__(
        self,
        venue: Venue,
        store: CandleStore,
        pipelines: Mapping[str, MarketPipeline],
        *,
        history_bars: int,
        replay_start_ms: int | None,
        news: NewsInputs | None,
        wall_clock: Callable[[], datetime],
        position: ReplayPosition | None = None,
    ) -> None:
        self.venue = venue
        self.store = store
        self.pipelines = dict(pipelines)
        self.history_bars = history_bars
        self.replay_start_ms = replay_start_ms
        self.news = news
        self.position = position
        self._wall_clock = wall_clock
        self._news_ms = 0
        first = next(iter(self.pipelines.values()))
        self.timeframe = first.key.timeframe
        self._timeframe_ms = first.key.timeframe_ms
        self._spec = first.features.spec
        self.runner = MarketRunner(
            venue,
            self.pipelines,
            self.timeframe,
            store=None if replay_start_ms is not None else store,
            before_close=self._release_news if news and news.replay else None,
            after_publish=None if position is None else position.published,
        )
        self.ready = asyncio.Event()

    @property
    def replaying(self) -> bool:
        """Whether the candles are a replay of recorded files."""
        return self.replay_start_ms is not None

    async def run(self, bus: Publisher) -> None:
        """Prepare history, then publish until cancelled (or until a replay ends)."""
        if self.news is not None:
            self.news.flow.attach(bus)
        await self._prepare()
        self.ready.set()
        async with asyncio.TaskGroup() as group:
            group.create_task(self._watch(bus), name="market-watch")
            if self.news is not None and self.news.poller is not None:
                poller = self.news.poller
                group.create_task(poller.run(), name="news-poll")

    async def _watch(self, bus: Publisher) -> None:
        await self.runner.run(bus)
        if self.position is not None and self.runner.finished == set(self.pipelines):
            self.position.finished()  # played to its end: the next run starts over
            log.info("replay finished: its position is cleared")

    async def _prepare(self) -> None:
        if self.replay_start_ms is None:
            await self._backfill()
        start_ms = self.replay_start_ms
        # A replay yields first the candle forming at its start: warm up on those before it.
        end_ms = None if start_ms is None else start_ms - self._timeframe_ms + 1
        for symbol, pipeline in self.pipelines.items():
            last = None if self.position is None else self.position.last_close_ms(symbol)
            until_ms = end_ms if last is None else last - self._timeframe_ms + 1
            bars = await asyncio.to_thread(
                pipeline.features.warm_up_from, self.store, end_ms=until_ms
            )
            log.info("%s warmed up on %d stored candles", pipeline.key, bars)
        if start_ms is not None and self.news is not None and self.news.replay is not None:
            await self._news_history(self.news.flow, self.news.replay, start_ms)

    async def _backfill(self) -> None:
        try:  # the venue's clock, not this machine's: they may disagree
            now_ms = await retrying(self.venue.now_ms, RetryPolicy(), what="venue clock")
        except VenueError as error:
            log.error("%s: no backfill, its clock cannot be read: %s", self.venue.name, error)
            return
        for pipeline in self.pipelines.values():
            key = pipeline.key
            since_ms = now_ms - self._history(key) * key.timeframe_ms
            report = await backfill(self.venue, self.store, key, since_ms, now_ms)
            log.info("%s backfilled: %s", key, report)

    def _history(self, key: MarketKey) -> int:
        return max(self.history_bars, HISTORY_WARMUPS * self._spec.warmup_bars)

    async def _news_history(self, flow: NewsFlow, replay: NewsReplay, start_ms: int) -> None:
        """Feed the accumulators with recorded news still weighing at the replay's start."""
        replay.skip_until(start_ms - lookback_ms(self._spec.news_half_life_secs))
        entries = replay.due(start_ms)
        await flow.take(entries, utc_to_ms(self._wall_clock()), bus=None)
        self._news_ms = start_ms
        log.info("news history: %d recorded items still count at the start", len(entries))

    async def _release_news(self, close_ms: int, bus: Publisher) -> None:
        """Publish recorded news published up to a bar's close, once per close time."""
        news = self.news
        if news is None or news.replay is None or close_ms <= self._news_ms:
            return
        self._news_ms = close_ms
        await news.flow.take(news.replay.due(close_ms), utc_to_ms(self._wall_clock()), bus=bus)

    def replay_now(self) -> datetime | None:
        """Return the replay clock's time (None when live)."""
        clock = getattr(self.venue, "clock", None)
        if clock is None:
            return None
        now: datetime = clock.now()
        return now
