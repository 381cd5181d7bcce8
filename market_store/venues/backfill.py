"""Backfill: page a venue's history into the candle store, fetching only what it lacks."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from market_store.candles import Candle, MarketKey
from market_store.venues.base import Venue, VenueError
from market_store.venues.policy import RetryPolicy, retrying
from market_store.venues.report import BackfillReport, Tally
from market_store.venues.rows import VenueStats

_log = logging.getLogger(__name__)

DEFAULT_PAGE_LIMIT = 1000
"""Candles asked per request of a venue that does not say its own ``page_limit``."""

StoredRow = tuple[int, str, str, str, str, str]
ProgressCallback = Callable[[BackfillReport], None]


class CandleSink(Protocol):
    """The part of `market_store.store.CandleStore` a backfill uses."""

    def upsert(self, key: MarketKey, candles: list[Candle]) -> int: ...

    def read_rows(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        last: int | None = None,
        limit: int | None = None,
    ) -> list[StoredRow]: ...


@runtime_checkable
class _Paged(Protocol):
    page_limit: int


@runtime_checkable
class _Counted(Protocol):
    stats: VenueStats


def missing_spans(
    store: CandleSink, key: MarketKey, since_ms: int, until_ms: int
) -> list[tuple[int, int]]:
    """Return the spans of ``[since_ms, until_ms)`` to fetch: before and after what is stored.

    Holes between stored candles are left to gap repair (`market_store.store.CandleStore.gaps`):
    most are the venue's own outages.
    """
    oldest = store.read_rows(key, since_ms, until_ms, limit=1)
    newest = store.read_rows(key, since_ms, until_ms, last=1)
    if not oldest or not newest:
        return [(since_ms, until_ms)]
    first, last = oldest[0][0], newest[0][0]
    spans = [(since_ms, first)] if first > since_ms else []
    tail = last + key.timeframe_ms
    return [*spans, (tail, until_ms)] if tail < until_ms else spans


async def backfill(
    venue: Venue,
    store: CandleSink,
    key: MarketKey,
    since_ms: int,
    until_ms: int,
    *,
    on_progress: ProgressCallback | None = None,
    retry: RetryPolicy | None = None,
) -> BackfillReport:
    """Fetch the closed candles of `key` opening in ``[since_ms, until_ms)`` into `store`.

    Asks only for what the store lacks before its oldest and after its newest candle in the
    range (so a second run resumes where the first stopped), pages forward from each page's
    last candle, and upserts every page as it comes (a failure loses nothing already stored).
    Temporary failures are retried as `retry` says, honouring ``Retry-After``.

    Parameters
    ----------
    venue
        Where the candles come from; its name must be ``key.venue``.
    store
        Where they go (`market_store.store.CandleStore`).
    key
        The series.
    since_ms, until_ms
        The range of candle opens, ``until_ms`` excluded.
    on_progress
        Told the report so far after each page.
    retry
        The retry policy (default `RetryPolicy()`).

    Returns
    -------
    BackfillReport
        What was done; ``error`` says why it stopped early, if it did.

    Raises
    ------
    ValueError
        An empty range, or `key` names another venue.
    """
    if since_ms >= until_ms:
        raise ValueError(f"empty range: since {since_ms} >= until {until_ms}")
    if key.venue != venue.name:
        raise ValueError(f"{key} does not belong to venue {venue.name!r}")
    spans = missing_spans(store, key, since_ms, until_ms)
    tally = Tally(key, since_ms, until_ms, spans[0][0] if spans else until_ms)
    if spans and spans[-1][0] > since_ms:
        _log.info("%s: resuming after %d (stored)", key, spans[-1][0] - key.timeframe_ms)
    pages = _Pages(venue, store, key, tally, retry or RetryPolicy(), on_progress)
    for start_ms, end_ms in spans:
        stored_before = start_ms - key.timeframe_ms if start_ms > since_ms else None
        if not await pages.fetch(start_ms, end_ms, stored_before):
            break
    report = tally.report()
    _log.info("%s: backfill done: %s", key, report)
    return report


class _Pages:
    """Pages one span of a series into the store."""

    def __init__(
        self,
        venue: Venue,
        store: CandleSink,
        key: MarketKey,
        tally: Tally,
        retry: RetryPolicy,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.venue, self.store, self.key, self.tally = venue, store, key, tally
        self.retry, self.on_progress = retry, on_progress
        self._present_ms: int | None = None
        self.page_limit = venue.page_limit if isinstance(venue, _Paged) else DEFAULT_PAGE_LIMIT

    def _venue_counts(self) -> tuple[int, int]:
        if isinstance(self.venue, _Counted):
            return self.venue.stats.duplicates, self.venue.stats.malformed
        return 0, 0

    async def fetch(self, cursor: int, end_ms: int, previous: int | None) -> bool:
        """Fetch ``[cursor, end_ms)`` page by page; return False when the backfill must stop.

        `previous` is the open of the stored candle just before `cursor`, if there is one.
        """
        tf_ms = self.key.timeframe_ms
        while cursor < end_ms:
            limit = max(1, min(self.page_limit, -(-(end_ms - cursor) // tf_ms)))
            try:
                candles = await self._page(cursor, limit)
                past_present = not candles and cursor + limit * tf_ms > await self._present()
            except VenueError as error:
                self.tally.error = str(error)
                _log.error("%s: backfill stopped at %d: %s", self.key, cursor, error)
                return False
            wanted = [c for c in candles if cursor <= c.ts_open_ms < end_ms]
            stored = self.store.upsert(self.key, wanted) if wanted else 0
            early = sum(c.ts_open_ms < cursor for c in candles)
            self.tally.count(wanted, previous, stored, early)
            if self.on_progress is not None:
                self.on_progress(self.tally.report())
            if wanted:
                previous = wanted[-1].ts_open_ms
                cursor = previous + tf_ms
            elif candles:
                break  # nothing more in the span: the venue's next candles open after it
            elif past_present:
                break  # the venue has nothing yet past its present
            else:
                cursor += limit * tf_ms
        return True

    async def _present(self) -> int:
        """Return the venue's now, read once per backfill (its clock, not this machine's)."""
        if self._present_ms is None:
            what = f"{self.venue.name} clock"
            self._present_ms = await retrying(self.venue.now_ms, self.retry, what=what)
        return self._present_ms

    async def _page(self, cursor: int, limit: int) -> list[Candle]:
        """One page, retried; the venue's dropped duplicates and malformed candles counted."""
        before = self._venue_counts()
        fetch = functools.partial(
            self.venue.fetch_closed, self.key.symbol, self.key.timeframe, cursor, limit
        )
        try:
            return await retrying(
                fetch,
                self.retry,
                what=f"{self.key} page from {cursor}",
                on_retry=self.tally.on_retry,
            )
        finally:
            after = self._venue_counts()
            self.tally.duplicates += after[0] - before[0]
            self.tally.malformed += after[1] - before[1]
