"""Live candles: the websocket while it works, REST polling while it does not, never a hole.

A candle seen on the websocket counts as closed once an update of a later candle arrives on the
same connection (the venue stops updating a candle when the next one opens), so only final
values are yielded. When the websocket fails or stalls, the stream polls REST for closed candles
and tries the websocket again later, waiting longer after each failed try. Whenever a candle
would leave a hole after the last one yielded, the hole is filled from REST first.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Protocol

from market_store.candles import Candle, timeframe_ms
from market_store.venues.base import VenueError, VenueRequestError
from market_store.venues.policy import RETRYABLE, LivePolicy, retrying
from market_store.venues.rows import Page

_log = logging.getLogger(__name__)


class LiveSource(Protocol):
    """What `watch_closed` needs of a venue (`CcxtVenue` has it)."""

    name: str
    has_websocket: bool
    page_limit: int

    async def resolve(self, symbol: str) -> str: ...

    async def now_ms(self) -> int: ...

    async def fetch_page(
        self, symbol: str, timeframe: str, since_ms: int, limit: int, *, fresh_clock: bool = False
    ) -> Page: ...

    async def watch_updates(self, symbol: str, timeframe: str) -> list[Candle]: ...

    async def reset_websocket(self, symbol: str, timeframe: str, *, close: bool) -> None: ...


async def watch_closed(
    source: LiveSource, symbol: str, timeframe: str, policy: LivePolicy
) -> AsyncGenerator[Candle, None]:
    """Yield each candle of a series once, in order, when it has closed.

    The first candle yielded is the one forming when the stream starts. Close the generator
    (``contextlib.aclosing``) to stop.

    Raises
    ------
    VenueRequestError
        The venue cannot serve this series at all (unknown symbol or timeframe).
    """
    stream = _Stream(source, timeframe, policy)
    async with aclosing(stream.run(symbol)) as candles:
        async for candle in candles:
            yield candle


class _Stream:
    def __init__(self, source: LiveSource, timeframe: str, policy: LivePolicy) -> None:
        self.source = source
        self.timeframe = timeframe
        self.tf_ms = timeframe_ms(timeframe)
        self.policy = policy
        self.symbol = ""
        self.start_ms = 0
        self.last: int | None = None
        self.ws_failures = 0
        self.use_ws = source.has_websocket

    @property
    def label(self) -> str:
        return f"{self.source.name} {self.symbol} {self.timeframe}"

    async def run(self, symbol: str) -> AsyncGenerator[Candle, None]:
        retry = self.policy.retry
        self.symbol = await retrying(lambda: self.source.resolve(symbol), retry, what="markets")
        self.start_ms = await retrying(self.source.now_ms, retry, what=f"{self.label} clock")
        while True:
            if self.use_ws:
                async with aclosing(self._websocket()) as candles:
                    async for candle in candles:
                        yield candle
            async with aclosing(self._poll()) as candles:
                async for candle in candles:
                    yield candle

    async def _websocket(self) -> AsyncGenerator[Candle, None]:
        pending: dict[int, Candle] = {}
        while True:
            try:
                async with asyncio.timeout(self.policy.ws_stall_secs):
                    update = await self.source.watch_updates(self.symbol, self.timeframe)
            except (VenueError, TimeoutError) as error:
                await self._websocket_failed(error)
                return
            if self.ws_failures:
                _log.info("%s: websocket back after %d failures", self.label, self.ws_failures)
                self.ws_failures = 0
            pending.update((candle.ts_open_ms, candle) for candle in update)
            newest = max(pending, default=0)
            for ts in sorted(ts for ts in pending if ts < newest):
                async with aclosing(self._emit(pending.pop(ts))) as candles:
                    async for candle in candles:
                        yield candle

    async def _websocket_failed(self, error: Exception) -> None:
        stalled = isinstance(error, TimeoutError)
        reason = f"no update for {self.policy.ws_stall_secs} s" if stalled else str(error)
        await self.source.reset_websocket(self.symbol, self.timeframe, close=stalled)
        if isinstance(error, VenueRequestError):
            self.use_ws = False
            _log.error("%s: websocket unusable, polling REST from now on: %s", self.label, reason)
            return
        self.ws_failures += 1
        _log.warning(
            "%s: websocket failed (%s); polling REST for %.1f s",
            self.label,
            reason,
            self._ws_retry_secs(),
        )

    def _ws_retry_secs(self) -> float:
        initial, ceiling = self.policy.ws_retry_initial_secs, self.policy.ws_retry_max_secs
        return min(ceiling, initial * 2.0 ** max(0, self.ws_failures - 1))

    async def _poll(self) -> AsyncGenerator[Candle, None]:
        """Poll REST at least once, then until it is time to try the websocket again."""
        deadline = time.monotonic() + self._ws_retry_secs() if self.use_ws else None
        limit = self.source.page_limit
        while True:
            since = self.start_ms - self.tf_ms + 1 if self.last is None else self.last + self.tf_ms
            wait = self.policy.poll_interval_secs
            try:
                page = await self.source.fetch_page(
                    self.symbol, self.timeframe, since, limit, fresh_clock=True
                )
            except RETRYABLE as error:
                wait = max(wait, self.policy.retry.delay(error, 1))
                _log.warning("%s: poll failed (%s); next in %.2f s", self.label, error, wait)
            else:
                for closed in page.candles:
                    async with aclosing(self._emit(closed)) as candles:
                        async for candle in candles:
                            yield candle
                if len(page.candles) >= limit:
                    continue  # behind: the next page at once
            if deadline is not None and time.monotonic() >= deadline:
                _log.info("%s: trying the websocket again", self.label)
                return
            await self.policy.retry.sleep(wait)

    async def _emit(self, candle: Candle) -> AsyncGenerator[Candle, None]:
        ts = candle.ts_open_ms
        if self.last is None:
            if ts + self.tf_ms <= self.start_ms:
                return  # closed before the stream started
            after = self.start_ms - self.tf_ms  # the candle forming at the start opened after it
        elif ts <= self.last:
            return
        else:
            after = self.last
        if ts > after + self.tf_ms:
            async with aclosing(self._fill(after, ts)) as candles:
                async for filled in candles:
                    yield filled
        self.last = ts
        yield candle

    async def _fill(self, after_ms: int, before_ms: int) -> AsyncGenerator[Candle, None]:
        """Yield the closed candles opening strictly between two times, from REST."""
        since = after_ms + 1
        while before_ms - since >= self.tf_ms:
            limit = max(1, min(self.source.page_limit, (before_ms - since) // self.tf_ms))
            fetch = functools.partial(
                self.source.fetch_page, self.symbol, self.timeframe, since, limit, fresh_clock=True
            )
            try:
                page = await retrying(fetch, self.policy.retry, what=f"{self.label} fill")
            except VenueError as error:
                _log.error(
                    "%s: candles %d..%d may be missing: %s", self.label, since, before_ms, error
                )
                return
            found = [c for c in page.candles if after_ms < c.ts_open_ms < before_ms]
            if found:
                _log.info("%s: %d candles filled from REST", self.label, len(found))
                after_ms = found[-1].ts_open_ms
                self.last = after_ms
            for candle in found:
                yield candle
            since = after_ms + 1 if found else since + limit * self.tf_ms
