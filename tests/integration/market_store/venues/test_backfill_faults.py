"""Backfill through faults: rate limits, bans and 5xx are retried; broken payloads lose nothing."""

from __future__ import annotations

import itertools

import pytest

from market_store.store import CandleStore
from market_store.venues.backfill import backfill
from tests.fixtures.exchanges import Fault, LocalBinance
from tests.integration.market_store.venues.conftest import (
    FAST,
    SINCE_MS,
    UNTIL_MS,
    btc_1h,
    file_candles,
    venue_at,
)

H = 3_600_000
KEY = btc_1h("binance")


def gaps_between_klines(binance: LocalBinance) -> list[float]:
    """Return the seconds between consecutive klines requests."""
    times = [request.at for request in binance.requests.to("klines")]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


async def test_rate_limits_bans_and_server_errors_are_retried(
    binance: LocalBinance, store: CandleStore, caplog: pytest.LogCaptureFixture
) -> None:
    binance.faults.add(
        "klines", Fault.rate_limited("1"), Fault.server_error(503), Fault.banned(None)
    )
    async with venue_at(binance, "binance") as venue:
        report = await backfill(venue, store, KEY, SINCE_MS, UNTIL_MS, retry=FAST)
    assert store.read(KEY, SINCE_MS, UNTIL_MS) == file_candles(SINCE_MS, UNTIL_MS)
    assert report.ok
    assert report.retried == {"RateLimitedError": 2, "VenueUnavailableError": 1}
    assert [r.status for r in binance.requests.to("klines")] == [429, 503, 418, 200, 200]
    after_429, after_503, after_418, _ = gaps_between_klines(binance)
    assert after_429 >= 1.0  # Retry-After: 1
    assert after_503 < FAST.ban_wait_secs  # plain backoff
    assert after_418 >= FAST.ban_wait_secs  # a ban waits longer, even unasked
    assert "binance 429 Too Many Requests" in caplog.text
    assert "retry 1 in 1.00 s" in caplog.text
    assert "binance 418" in caplog.text


async def test_a_malformed_payload_is_retried_and_nothing_is_lost(
    binance: LocalBinance, store: CandleStore, caplog: pytest.LogCaptureFixture
) -> None:
    binance.faults.add("klines", Fault(), Fault.malformed())
    async with venue_at(binance, "binance") as venue:
        report = await backfill(venue, store, KEY, SINCE_MS, UNTIL_MS, retry=FAST)
    assert store.read(KEY, SINCE_MS, UNTIL_MS) == file_candles(SINCE_MS, UNTIL_MS)
    assert report.retried == {"MalformedPayloadError": 1}
    assert "expected a JSON array of klines" in caplog.text


async def test_a_payload_that_stays_malformed_stops_the_backfill_keeping_what_was_stored(
    binance: LocalBinance, store: CandleStore, caplog: pytest.LogCaptureFixture
) -> None:
    binance.faults.add("klines", Fault(), *[Fault.malformed('{"code": 0}')] * FAST.max_attempts)
    async with venue_at(binance, "binance") as venue:
        report = await backfill(venue, store, KEY, SINCE_MS, UNTIL_MS, retry=FAST)
    first_page = file_candles(SINCE_MS, UNTIL_MS)[:1000]
    assert store.read(KEY, SINCE_MS, UNTIL_MS) == first_page
    assert not report.ok
    assert report.error is not None
    assert "malformed_payload" in report.error
    assert "expected a JSON array of klines, got dict" in report.error
    assert report.last_open_ms == first_page[-1].ts_open_ms
    assert "backfill stopped at" in caplog.text


async def test_a_request_error_is_not_retried(binance: LocalBinance, store: CandleStore) -> None:
    key = KEY.__class__("binance", "BTC/USDT", "7m")
    async with venue_at(binance, "binance") as venue:
        report = await backfill(venue, store, key, SINCE_MS, UNTIL_MS, retry=FAST)
    assert report.error == "binance: no '7m' candles"
    assert report.retries == 0
