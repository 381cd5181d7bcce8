"""What a backfill reports, and the running tally it is made from."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping

from market_store.candles import Candle, MarketKey


@dataclasses.dataclass(frozen=True, slots=True)
class BackfillReport:
    """What one backfill did.

    ``start_ms`` is where it started asking (after resuming from the store), ``candles_stored``
    how many candles were new or changed in the store, ``duplicates`` and ``malformed`` how many
    candles the venue sent twice or broken (those were dropped, the latter logged with the
    reason), ``gaps``/``missing`` the holes seen between consecutive candles, ``retried`` the
    retried failures by kind, and ``error`` why it stopped early (None when it finished).
    """

    key: MarketKey
    since_ms: int
    until_ms: int
    start_ms: int
    pages: int = 0
    candles_received: int = 0
    candles_stored: int = 0
    duplicates: int = 0
    malformed: int = 0
    gaps: int = 0
    missing: int = 0
    retried: Mapping[str, int] = dataclasses.field(default_factory=dict)
    first_open_ms: int | None = None
    last_open_ms: int | None = None
    error: str | None = None

    @property
    def retries(self) -> int:
        """Return how many calls were retried, whatever the reason."""
        return sum(self.retried.values())

    @property
    def ok(self) -> bool:
        """Tell whether the backfill reached `until_ms`."""
        return self.error is None


@dataclasses.dataclass(slots=True)
class Tally:
    """The running tally of one backfill; `report` freezes it."""

    key: MarketKey
    since_ms: int
    until_ms: int
    start_ms: int
    pages: int = 0
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    malformed: int = 0
    gaps: int = 0
    missing: int = 0
    retried: Counter[str] = dataclasses.field(default_factory=Counter)
    first_open_ms: int | None = None
    last_open_ms: int | None = None
    error: str | None = None

    def on_retry(self, error: Exception, wait: float) -> None:
        self.retried[type(error).__name__] += 1

    def count(self, candles: list[Candle], previous: int | None, stored: int, early: int) -> None:
        """Count one page: its candles (after `previous`, the open before them) and the gaps."""
        tf_ms = self.key.timeframe_ms
        for candle in candles:
            if previous is not None and candle.ts_open_ms - previous > tf_ms:
                self.gaps += 1
                self.missing += (candle.ts_open_ms - previous - 1) // tf_ms
            previous = candle.ts_open_ms
        if candles:
            if self.first_open_ms is None or candles[0].ts_open_ms < self.first_open_ms:
                self.first_open_ms = candles[0].ts_open_ms
            if self.last_open_ms is None or candles[-1].ts_open_ms > self.last_open_ms:
                self.last_open_ms = candles[-1].ts_open_ms
        self.pages += 1
        self.received += len(candles)
        self.stored += stored
        self.duplicates += early

    def report(self) -> BackfillReport:
        return BackfillReport(
            self.key,
            self.since_ms,
            self.until_ms,
            self.start_ms,
            pages=self.pages,
            candles_received=self.received,
            candles_stored=self.stored,
            duplicates=self.duplicates,
            malformed=self.malformed,
            gaps=self.gaps,
            missing=self.missing,
            retried=dict(self.retried),
            first_open_ms=self.first_open_ms,
            last_open_ms=self.last_open_ms,
            error=self.error,
        )
