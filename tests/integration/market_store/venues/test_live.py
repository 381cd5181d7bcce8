"""Live candles through ccxt.pro: closed ones only, once, in order; REST while the socket is out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing

import pytest

from market_store.candles import Candle
from market_store.venues.ccxt_venue import CcxtVenue
from market_store.venues.policy import LivePolicy
from tests.fixtures.exchanges import LocalBinance, LocalBybit, SimClock, load_series
from tests.integration.market_store.venues.conftest import FAST, venue_at

SERIES = load_series("BTC", "USDT", "1m")
START_MS = SERIES.opens[100] + 5_000
SPEED = 150.0  # one 1m candle every 0.4 s
LIVE = LivePolicy(
    poll_interval_secs=0.05,
    ws_retry_initial_secs=0.5,
    ws_retry_max_secs=1.0,
    ws_stall_secs=3.0,
    retry=FAST,
)


@pytest.fixture
async def running_binance() -> AsyncIterator[LocalBinance]:
    """Binance whose clock runs 150 times real time through the 1m file."""
    async with LocalBinance(SimClock(START_MS, SPEED), tick_secs=0.01) as exchange:
        yield exchange


async def take(venue: CcxtVenue, count: int) -> list[Candle]:
    """Return the first `count` candles the venue's live stream yields."""
    async with asyncio.timeout(20), aclosing(venue.watch_closed("btcusdt", "1m")) as stream:
        return [await anext(stream) for _ in range(count)]


def assert_file_run(candles: list[Candle]) -> None:
    """The candles are consecutive candles of the file, with their final values."""
    first = SERIES.index(candles[0].ts_open_ms)
    assert candles == [row.candle() for row in SERIES.rows[first : first + len(candles)]]


async def test_only_closed_candles_come_once_and_in_order(running_binance: LocalBinance) -> None:
    async with venue_at(running_binance, "binance", live=LIVE) as venue:
        candles = await take(venue, 6)
    assert_file_run(candles)
    assert running_binance.streams.connections == 1
    assert len(running_binance.requests.to("klines")) <= 1  # at most the start's hole, filled


async def test_a_dropped_websocket_falls_back_to_polling_and_loses_nothing(
    running_binance: LocalBinance, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="market_store.venues.live")
    running_binance.faults.ws_drops.append(2)
    running_binance.faults.refuse_after_drop = 1
    async with venue_at(running_binance, "binance", live=LIVE) as venue:
        candles = await take(venue, 12)
    assert_file_run(candles)
    assert [r.status for r in running_binance.requests.to("ws")] == [101, 503, 101]
    assert running_binance.requests.to("klines")
    assert "websocket failed (binance: watch_ohlcv BTC/USDT 1m: NetworkError" in caplog.text
    assert "polling REST for 0.5 s" in caplog.text
    assert "websocket back after 2 failures" in caplog.text


async def test_a_venue_whose_websocket_never_answers_is_polled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = SimClock(START_MS, SPEED)
    async with LocalBybit(clock) as bybit, venue_at(bybit, "bybit", live=LIVE) as venue:
        candles = await take(venue, 4)
    assert_file_run(candles)
    assert "bybit BTC/USDT 1m: websocket failed" in caplog.text
