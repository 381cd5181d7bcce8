"""Helpers for the polling tests: a collecting sink, a fixed clock, a poller on a store file."""

from __future__ import annotations

from pathlib import Path

import httpx

from data_core.news import (
    EnrichedNews,
    NewsEnricher,
    NewsPoller,
    NewsSource,
    SeenStore,
    build_sentiment,
)


class Collected:
    """Sink that keeps what the poller delivered."""

    def __init__(self) -> None:
        self.batches: list[list[EnrichedNews]] = []

    async def __call__(self, batch: list[EnrichedNews]) -> None:
        self.batches.append(batch)

    @property
    def items(self) -> list[EnrichedNews]:
        return [news for batch in self.batches for news in batch]


class FixedClock:
    """A clock that says what it is told (the poller's fetch and creation time)."""

    def __init__(self, now_ms: int) -> None:
        self.now = now_ms

    def now_ms(self) -> int:
        return self.now


def make_poller(
    sources: list[NewsSource], client: httpx.AsyncClient, db: Path, sink: Collected
) -> tuple[NewsPoller, SeenStore]:
    """A poller on the store at `db` (reopen the same path to simulate a restart)."""
    seen = SeenStore(db)
    enricher = NewsEnricher(build_sentiment("vader"))
    clock = FixedClock(1_751_328_000_000)
    return NewsPoller(sources, client, seen, enricher, sink, clock), seen
