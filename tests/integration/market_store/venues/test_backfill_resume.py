"""Backfill asks only for what the store lacks, before and after what it holds."""

from __future__ import annotations

import logging

import pytest

from market_store.store import CandleStore
from market_store.venues.backfill import backfill
from tests.fixtures.exchanges import LocalBinance
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


def asked_from(binance: LocalBinance, skip: int = 0) -> list[int]:
    """Return the startTime of each klines request after the first `skip`."""
    return [int(r.query["startTime"]) for r in binance.requests.to("klines")[skip:]]


async def test_resume_fetches_only_the_missing_part(
    binance: LocalBinance, store: CandleStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    middle = SINCE_MS + 600 * H
    async with venue_at(binance, "binance") as venue:
        first = await backfill(venue, store, KEY, SINCE_MS, middle, retry=FAST)
        asked_before = len(binance.requests.to("klines"))
        second = await backfill(venue, store, KEY, SINCE_MS, UNTIL_MS, retry=FAST)
    resumed = binance.requests.to("klines")[asked_before:]
    assert first.last_open_ms == middle - H
    assert second.start_ms == middle
    assert [r.query["startTime"] for r in resumed] == [str(middle), str(middle + 1000 * H)]
    assert second.candles_received == second.candles_stored == (UNTIL_MS - middle) // H
    assert store.read(KEY, SINCE_MS, UNTIL_MS) == file_candles(SINCE_MS, UNTIL_MS)
    assert f"resuming after {middle - H}" in caplog.text


async def test_a_range_before_what_is_stored_is_fetched_up_to_it(
    binance: LocalBinance, store: CandleStore
) -> None:
    middle = SINCE_MS + 1200 * H
    async with venue_at(binance, "binance") as venue:
        await backfill(venue, store, KEY, middle, UNTIL_MS, retry=FAST)
        asked = len(binance.requests.to("klines"))
        report = await backfill(venue, store, KEY, SINCE_MS, UNTIL_MS, retry=FAST)
    assert asked_from(binance, asked) == [SINCE_MS, SINCE_MS + 1033 * H]
    assert report.candles_stored == report.candles_received == 1200 - 33
    assert store.read(KEY, SINCE_MS, UNTIL_MS) == file_candles(SINCE_MS, UNTIL_MS)


async def test_a_range_older_than_everything_stored_is_still_fetched(
    binance: LocalBinance, store: CandleStore
) -> None:
    async with venue_at(binance, "binance") as venue:
        await backfill(venue, store, KEY, UNTIL_MS, UNTIL_MS + 10 * H, retry=FAST)
        report = await backfill(venue, store, KEY, SINCE_MS, SINCE_MS + 10 * H, retry=FAST)
    assert report.candles_stored == 10
    assert store.read(KEY, SINCE_MS, SINCE_MS + 10 * H) == file_candles(SINCE_MS, SINCE_MS + 10 * H)
