"""The live stream's rules on a scripted source: closed only, once, in order, holes filled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import aclosing
from decimal import Decimal

import pytest

from market_store.candles import Candle
from market_store.venues.base import VenueRequestError, VenueUnavailableError
from market_store.venues.live import watch_closed
from market_store.venues.policy import LivePolicy, RetryPolicy
from market_store.venues.rows import Page

M = 60_000
T0 = 1_748_798_400_000  # 2025-06-01 17:20 UTC


def final(i: int) -> Candle:
    price = Decimal(100 + i)
    return Candle(T0 + i * M, price, price + 2, price - 2, price + 1, Decimal(10))


def forming(i: int) -> Candle:
    price = Decimal(100 + i)
    return Candle(T0 + i * M, price, price, price, price, Decimal(1))


Update = Sequence[Candle] | Exception


class Script:
    """A venue whose websocket plays `updates` and whose REST knows closed candles 0..`closed`."""

    name = "scripted"
    page_limit = 1000

    def __init__(self, updates: list[Update], closed: list[int], *, websocket: bool = True) -> None:
        self.updates = updates
        self.closed = closed  # how many candles REST has closed, per call (the last repeats)
        self.has_websocket = websocket
        self.fetches: list[tuple[int, int]] = []
        self.resets = 0

    async def resolve(self, symbol: str) -> str:
        return symbol

    async def now_ms(self) -> int:
        return T0 + 30_000  # half way through candle 0

    async def fetch_page(
        self, symbol: str, timeframe: str, since_ms: int, limit: int, *, fresh_clock: bool = False
    ) -> Page:
        upto = self.closed.pop(0) if len(self.closed) > 1 else self.closed[0]
        self.fetches.append((since_ms, limit))
        return Page([final(i) for i in range(upto) if final(i).ts_open_ms >= since_ms][:limit])

    async def watch_updates(self, symbol: str, timeframe: str) -> list[Candle]:
        if not self.updates:
            await asyncio.Event().wait()
        update = self.updates.pop(0)
        if isinstance(update, Exception):
            raise update
        return list(update)

    async def reset_websocket(self, symbol: str, timeframe: str, *, close: bool) -> None:
        self.resets += 1


class NoWait(list[float]):
    async def __call__(self, secs: float) -> None:
        self.append(secs)


POLICY = LivePolicy(
    poll_interval_secs=1.0,
    ws_retry_initial_secs=0.0,
    ws_stall_secs=5.0,
    retry=RetryPolicy(sleep=NoWait()),
)


async def take(source: Script, count: int, policy: LivePolicy = POLICY) -> list[Candle]:
    async with asyncio.timeout(5), aclosing(watch_closed(source, "BTC/USDT", "1m", policy)) as it:
        return [await anext(it) for _ in range(count)]


async def test_only_final_values_come_out_once_and_in_order() -> None:
    updates: list[Update] = [
        [forming(0)], [forming(0)], [final(0), forming(1)], [final(0), forming(1)],
        [forming(1)], [final(1), forming(2)], [final(2), forming(3)],
    ]  # fmt: skip
    source = Script(updates, closed=[0])
    assert await take(source, 3) == [final(0), final(1), final(2)]
    assert source.fetches == []


async def test_a_dropped_websocket_falls_back_to_polling_and_loses_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    updates: list[Update] = [
        [forming(0)], [final(0), forming(1)], VenueUnavailableError("scripted", "closed 1006"),
        [forming(4)], [final(4), forming(5)],
    ]  # fmt: skip
    caplog.set_level(logging.INFO)
    source = Script(updates, closed=[4])
    assert await take(source, 5) == [final(i) for i in range(5)]
    assert source.fetches[0] == (T0 + M, 1000)
    assert source.resets == 1
    assert "websocket failed (scripted: closed 1006); polling REST" in caplog.text
    assert "websocket back after 1 failures" in caplog.text


async def test_a_hole_after_reconnecting_is_filled_from_rest() -> None:
    updates: list[Update] = [
        [forming(0)], [final(0), forming(1)], VenueUnavailableError("scripted", "reset"),
        [forming(4)], [final(4), forming(5)],
    ]  # fmt: skip
    source = Script(updates, closed=[1, 4])  # the poll finds nothing new; the fill finds 1..3
    assert await take(source, 5) == [final(i) for i in range(5)]
    assert source.fetches == [(T0 + M, 1000), (T0 + 1, 3)]


async def test_a_late_first_update_still_starts_with_the_candle_forming_at_the_start() -> None:
    source = Script([[forming(2)], [final(2), forming(3)]], closed=[2])
    assert await take(source, 3) == [final(0), final(1), final(2)]


async def test_a_websocket_refused_for_good_leaves_polling_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = Script([VenueRequestError("scripted", "watchOHLCV not supported")], closed=[1, 2, 3])
    assert await take(source, 3) == [final(0), final(1), final(2)]
    assert "websocket unusable, polling REST from now on" in caplog.text
    assert source.updates == []
