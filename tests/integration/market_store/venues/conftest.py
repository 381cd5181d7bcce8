"""Local exchanges, a real candle store, and venues pointed at them through real ccxt clients."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from market_store.candles import Candle, MarketKey
from market_store.store import CandleStore
from market_store.venues.binance import binance_venue
from market_store.venues.bybit import bybit_venue
from market_store.venues.ccxt_venue import CcxtVenue
from market_store.venues.okx import okx_venue
from market_store.venues.policy import RetryPolicy
from tests.fixtures.exchanges import LocalBinance, LocalBybit, LocalExchange, LocalOkx, load_series

FAST = RetryPolicy(max_attempts=4, initial_secs=0.01, max_secs=0.05, ban_wait_secs=0.5)
"""Short waits, so that a test retries in milliseconds unless the venue asks for longer."""

SINCE_MS = 1_516_838_400_000  # 2018-01-25 00:00 UTC
UNTIL_MS = 1_523_318_400_000  # 2018-04-10 00:00 UTC; the Feb-2018 halt (33 candles) lies between

LOCALS: dict[str, tuple[type[LocalExchange], Callable[..., CcxtVenue]]] = {
    "binance": (LocalBinance, binance_venue),
    "bybit": (LocalBybit, bybit_venue),
    "okx": (LocalOkx, okx_venue),
}


def file_candles(
    since_ms: int, until_ms: int, base: str = "BTC", timeframe: str = "1h"
) -> list[Candle]:
    """Return the file's candles opening in ``[since_ms, until_ms)``, as exact decimals."""
    series = load_series(base, "USDT", timeframe)
    return [row.candle() for row in series.between(since_ms, until_ms - 1)]


def btc_1h(venue: str) -> MarketKey:
    """The key of BTC/USDT 1h at `venue`."""
    return MarketKey(venue, "BTC/USDT", "1h")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CandleStore]:
    """An empty candle store in a temporary SQLite file."""
    with CandleStore(tmp_path / "candles.sqlite") as candles:
        yield candles


@contextlib.asynccontextmanager
async def venue_at(exchange: LocalExchange, name: str, **settings: Any) -> AsyncIterator[CcxtVenue]:
    """A venue of kind `name` whose REST and websocket URLs point at `exchange`."""
    venue = LOCALS[name][1](rest_url=exchange.url, ws_url=exchange.ws_url, **settings)
    try:
        yield venue
    finally:
        await venue.close()


@pytest.fixture
async def binance() -> AsyncIterator[LocalBinance]:
    """Binance spot on 127.0.0.1, its clock frozen at the end of the files."""
    async with LocalBinance() as exchange:
        yield exchange
