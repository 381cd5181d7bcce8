"""Poll each `NewsSource` on its interval: fetch conditionally, parse, dedup, enrich, deliver.

A bad feed (unreachable, malformed, unsafe) is logged with its source and reason, counted in
`SourceStats.errors`, and retried at the next interval; it never stops the other sources.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import httpx

from data_core.errors import FeedError
from data_core.news.enrich import NewsEnricher
from data_core.news.entries import Clock, EnrichedNews, RawEntry
from data_core.news.fetch import fetch_feed
from data_core.news.identity import news_id
from data_core.news.parse_json import parse_json_feed
from data_core.news.parse_xml import parse_xml_feed
from data_core.news.seen import SeenStore
from data_core.news.settings import NewsSource

logger = logging.getLogger(__name__)

NewsSink = Callable[[list[EnrichedNews]], Awaitable[None]]
"""Receives each poll's new items, oldest first (e.g. publishes them on the bus)."""


@dataclass
class SourceStats:
    """Counters of one source since start."""

    polls: int = 0
    not_modified: int = 0
    entries: int = 0
    new_items: int = 0
    duplicates: int = 0
    errors: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one source did; `error` is the reason when it failed."""

    source: str
    new_items: int = 0
    duplicates: int = 0
    not_modified: bool = False
    error: str | None = None


class NewsPoller:
    """Poll news feeds and hand new items to a sink.

    Parameters
    ----------
    sources
        The feeds; names must be unique.
    client
        HTTP client (its timeout applies to every fetch); the caller closes it.
    seen
        Dedup store and ETag memory; survives restarts.
    enricher
        Builds the items (runs in a worker thread: embedding is CPU work).
    sink
        Receives new items; they are marked seen only after it returns.
    clock
        Time source for fetch and creation times.
    max_bytes
        Larger feed bodies are refused.
    """

    def __init__(
        self,
        sources: Sequence[NewsSource],
        client: httpx.AsyncClient,
        seen: SeenStore,
        enricher: NewsEnricher,
        sink: NewsSink,
        clock: Clock,
        max_bytes: int = 5_000_000,
    ) -> None:
        names = [source.name for source in sources]
        if len(set(names)) != len(names):
            raise ValueError(f"news source names must be unique: {names}")
        self.sources = tuple(sources)
        self._client = client
        self._seen = seen
        self._enricher = enricher
        self._sink = sink
        self._clock = clock
        self._max_bytes = max_bytes
        self.stats = {name: SourceStats() for name in names}

    async def poll(self, source: NewsSource) -> PollResult:
        """Poll `source` once; never raises for a bad feed (see `PollResult.error`)."""
        stats = self.stats[source.name]
        stats.polls += 1
        try:
            return await self._poll(source, stats)
        except FeedError as exc:
            stats.errors[exc.reason] += 1
            logger.warning(
                "news feed failed",
                extra={"source": source.name, "reason": exc.reason, "detail": exc.detail},
            )
            return PollResult(source.name, error=exc.reason)

    async def poll_all(self) -> list[PollResult]:
        """Poll every source once, one after the other."""
        return [await self.poll(source) for source in self.sources]

    async def run(self) -> None:
        """Poll every source on its own interval until cancelled."""
        async with asyncio.TaskGroup() as group:
            for source in self.sources:
                group.create_task(self._loop(source), name=f"news:{source.name}")

    async def _loop(self, source: NewsSource) -> None:
        while True:
            try:
                await self.poll(source)
            except Exception:
                self.stats[source.name].errors["unexpected"] += 1
                logger.exception("news poll failed", extra={"source": source.name})
            await asyncio.sleep(source.interval_secs)

    async def _poll(self, source: NewsSource, stats: SourceStats) -> PollResult:
        fetched = await fetch_feed(
            self._client, str(source.url), self._seen.validators(source.name), self._max_bytes
        )
        now_ms = self._clock.now_ms()
        if fetched.body is None:
            stats.not_modified += 1
            return PollResult(source.name, not_modified=True)
        entries = self._parse(source, fetched.body, fetched.content_type, now_ms)
        stats.entries += len(entries)
        fresh = self._fresh(entries)
        enriched = await asyncio.to_thread(self._enricher.enrich, fresh, now_ms)
        if enriched:
            await self._sink(enriched)
        # Invalid entries are marked too, so they are reported once, not at every poll.
        marks = [(news_id(e.title, e.url), source.name, e.published_ms) for e in fresh]
        self._seen.mark(marks, now_ms)
        self._seen.save_validators(source.name, fetched.validators, now_ms)
        stats.new_items += len(enriched)
        stats.duplicates += len(entries) - len(fresh)
        return PollResult(source.name, len(enriched), len(entries) - len(fresh))

    @staticmethod
    def _parse(
        source: NewsSource, body: bytes, content_type: str | None, now_ms: int
    ) -> list[RawEntry]:
        if source.kind == "json":
            entries = parse_json_feed(body, source.name, now_ms)
        else:
            entries = parse_xml_feed(body, source.name, now_ms, content_type)
        return sorted(entries, key=lambda entry: entry.published_ms)

    def _fresh(self, entries: list[RawEntry]) -> list[RawEntry]:
        """Keep the first of each id that the store has not seen."""
        ids = [news_id(entry.title, entry.url) for entry in entries]
        unseen = self._seen.unseen(ids)
        fresh: list[RawEntry] = []
        for entry, item_id in zip(entries, ids, strict=True):
            if item_id in unseen:
                unseen.discard(item_id)
                fresh.append(entry)
        return fresh
