"""A real BTC/USDT 1h range through Binance, Bybit and OKX lands in the store exactly as filed."""

from __future__ import annotations

import asyncio

import pytest

from market_store.candles import Candle
from market_store.store import CandleStore
from market_store.venues.backfill import backfill
from market_store.venues.binance import DEFAULT_OPTIONS as BINANCE_OPTIONS
from market_store.venues.bybit import DEFAULT_OPTIONS as BYBIT_OPTIONS
from market_store.venues.okx import DEFAULT_OPTIONS as OKX_OPTIONS
from market_store.venues.registry import make_venue
from tests.fixtures.exchanges import Fault, LocalBinance
from tests.integration.market_store.venues.conftest import (
    FAST,
    LOCALS,
    SINCE_MS,
    UNTIL_MS,
    btc_1h,
    file_candles,
    venue_at,
)
from venue_adapter.exchanges import sync_exchange

H = 3_600_000


def as_ccxt_row(c: Candle) -> list[object]:
    """Return a candle as ccxt parses it: time, then floats."""
    return [
        c.ts_open_ms,
        float(c.open),
        float(c.high),
        float(c.low),
        float(c.close),
        float(c.volume),
    ]


@pytest.mark.parametrize("name", ["binance", "bybit", "okx"])
async def test_backfill_matches_the_file_exactly(name: str, store: CandleStore) -> None:
    local, _ = LOCALS[name]
    async with local() as exchange, venue_at(exchange, name) as venue:
        report = await backfill(venue, store, btc_1h(name), SINCE_MS, UNTIL_MS, retry=FAST)
    expected = file_candles(SINCE_MS, UNTIL_MS)
    assert store.read(btc_1h(name), SINCE_MS, UNTIL_MS) == expected
    assert report.ok
    assert report.candles_stored == report.candles_received == len(expected) == 1_767
    assert (report.first_open_ms, report.last_open_ms) == (SINCE_MS, UNTIL_MS - H)
    assert (report.gaps, report.missing) == (1, 33)
    assert report.pages == {"binance": 2, "bybit": 2, "okx": 18}[name]  # OKX pages by window
    assert report.retries == report.duplicates == report.malformed == 0


@pytest.mark.parametrize("name", ["binance", "bybit", "okx"])
async def test_duplicates_and_disorder_are_cleaned_up(name: str, store: CandleStore) -> None:
    local, _ = LOCALS[name]
    async with local() as exchange, venue_at(exchange, name) as venue:
        exchange.faults.messy_pages = True
        report = await backfill(venue, store, btc_1h(name), SINCE_MS, UNTIL_MS, retry=FAST)
    assert store.read(btc_1h(name), SINCE_MS, UNTIL_MS) == file_candles(SINCE_MS, UNTIL_MS)
    assert report.ok
    assert report.duplicates > report.pages


async def test_a_malformed_candle_is_named_skipped_and_counted(
    store: CandleStore, caplog: pytest.LogCaptureFixture
) -> None:
    def break_one(rows: list[list[object]]) -> list[list[object]]:
        rows[10][3] = "not-a-price"  # the low of the 11th candle; ccxt reads it as None
        return rows

    local, _ = LOCALS["binance"]
    async with local() as exchange, venue_at(exchange, "binance") as venue:
        exchange.faults.add("klines", Fault.edit_rows(break_one))
        report = await backfill(venue, store, btc_1h("binance"), SINCE_MS, UNTIL_MS, retry=FAST)
    expected = file_candles(SINCE_MS, UNTIL_MS)
    assert store.read(btc_1h("binance"), SINCE_MS, UNTIL_MS) == expected[:10] + expected[11:]
    assert (report.malformed, report.gaps, report.missing) == (1, 2, 34)
    assert "binance BTC/USDT 1h: malformed candle skipped: low is None" in caplog.text


@pytest.mark.parametrize("name", ["binance", "bybit", "okx"])
async def test_the_servers_speak_to_synchronous_ccxt_too(name: str) -> None:
    options = {"binance": BINANCE_OPTIONS, "bybit": BYBIT_OPTIONS, "okx": OKX_OPTIONS}[name]
    local, _ = LOCALS[name]
    async with local() as exchange:
        client = sync_exchange(name, rest_url=exchange.url, options=options)
        markets = await asyncio.to_thread(client.load_markets)
        rows = await asyncio.to_thread(client.fetch_ohlcv, "BTC/USDT", "1h", SINCE_MS, 3)
        server_ms = await asyncio.to_thread(client.fetch_time)
    btc = markets["BTC/USDT"]
    assert btc["spot"] is True
    assert btc["precision"]["price"] is not None
    assert btc["precision"]["amount"] is not None
    assert rows == [as_ccxt_row(c) for c in file_candles(SINCE_MS, SINCE_MS + 3 * H)]
    assert server_ms == exchange.clock.now_ms()


async def test_any_ccxt_exchange_works_by_name(binance: LocalBinance, store: CandleStore) -> None:
    # Binance.US speaks Binance's protocol: the generic venue reaches the local Binance by name.
    venue = make_venue("binanceus", rest_url=binance.url, ws_url=binance.ws_url)
    try:
        assert venue.name == "binanceus"
        report = await backfill(venue, store, btc_1h("binanceus"), SINCE_MS, SINCE_MS + 48 * H)
    finally:
        await venue.close()
    assert report.ok
    assert store.read(btc_1h("binanceus")) == file_candles(SINCE_MS, SINCE_MS + 48 * H)
