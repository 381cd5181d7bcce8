"""A real ccxt Binance client against the local Binance server: HTTP failures by their kind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

import signal_bus
from tests.fixtures.exchanges import Fault, LocalBinance
from venue_adapter.errors import (
    RateLimitedError,
    VenueError,
    VenueRequestError,
    VenueUnavailableError,
)
from venue_adapter.exchanges import call, exchange_config, open_exchange
from venue_adapter.urls import rebase_urls


@pytest.fixture
async def binance() -> AsyncIterator[LocalBinance]:
    async with LocalBinance() as exchange:
        yield exchange


@pytest.fixture
async def exchange(binance: LocalBinance) -> AsyncIterator[Any]:
    opened, _ = open_exchange("binance", exchange_config({}), venue="binance", websocket=False)
    opened.urls["api"] = rebase_urls(opened.urls["api"], rest_url=binance.url, ws_url=None)
    yield opened
    await opened.close()


async def fetch_time_failure(exchange: Any) -> VenueError:
    with pytest.raises(VenueError) as caught:
        await call("binance", "fetch_time", exchange.fetch_time)
    return caught.value


async def test_a_429_is_a_temporary_rate_limit_with_its_retry_after(
    binance: LocalBinance, exchange: Any
) -> None:
    binance.faults.add("time", Fault.rate_limited("3"))
    error = await fetch_time_failure(exchange)
    assert isinstance(error, RateLimitedError)
    assert isinstance(error, signal_bus.TemporaryError)
    assert (error.retry_after_secs, error.banned) == (3.0, False)
    assert "fetch_time" in str(error)


async def test_a_418_is_a_ban_with_its_retry_after(binance: LocalBinance, exchange: Any) -> None:
    binance.faults.add("time", Fault.banned("120"))
    error = await fetch_time_failure(exchange)
    assert isinstance(error, RateLimitedError)
    assert (error.retry_after_secs, error.banned) == (120.0, True)


async def test_a_418_without_retry_after_is_still_a_ban(
    binance: LocalBinance, exchange: Any
) -> None:
    binance.faults.add("time", Fault.banned(None))
    error = await fetch_time_failure(exchange)
    assert isinstance(error, RateLimitedError)
    assert (error.retry_after_secs, error.banned) == (None, True)


async def test_a_5xx_is_temporary_and_a_refused_request_operational(
    binance: LocalBinance, exchange: Any
) -> None:
    binance.faults.add("time", Fault.server_error(503), Fault(400, body='{"code":-1100}'))
    unavailable = await fetch_time_failure(exchange)
    assert type(unavailable) is VenueUnavailableError
    refused = await fetch_time_failure(exchange)
    assert isinstance(refused, VenueRequestError)
    assert isinstance(refused, signal_bus.OperationalError)
    now_ms, response = await call("binance", "fetch_time", exchange.fetch_time)
    assert (response.status, now_ms) == (200, binance.clock.now_ms())
