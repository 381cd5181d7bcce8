"""``ntx data download``'s body: several symbols in any style, into the store, resumable."""

from __future__ import annotations

import pytest

from market_store.candles import MarketKey
from market_store.download import download
from market_store.store import CandleStore
from market_store.venues.base import UnknownVenueError
from tests.fixtures.exchanges import LocalBinance
from tests.integration.market_store.venues.conftest import file_candles

SINCE_MS = 1_735_689_600_000  # 2025-01-01 00:00 UTC
UNTIL_MS = SINCE_MS + 1_200 * 300_000  # 1,200 five-minute candles


async def test_download_fills_the_store_for_each_symbol(
    binance: LocalBinance, store: CandleStore
) -> None:
    progress: list[int | None] = []
    reports = await download(
        store, "binance", ["btc_usdt", "ETHUSDT"], "5m", SINCE_MS, UNTIL_MS,
        rest_url=binance.url, on_progress=lambda report: progress.append(report.last_open_ms),
    )  # fmt: skip
    assert [report.key for report in reports] == [
        MarketKey("binance", "BTC/USDT", "5m"),
        MarketKey("binance", "ETH/USDT", "5m"),
    ]
    for report, base in zip(reports, ["BTC", "ETH"], strict=True):
        assert report.ok
        assert report.candles_stored == 1_200
        assert store.read(report.key) == file_candles(SINCE_MS, UNTIL_MS, base, "5m")
    assert progress == [SINCE_MS + 999 * 300_000, UNTIL_MS - 300_000] * 2
    again = await download(
        store, "binance", ["BTC/USDT"], "5m", SINCE_MS, UNTIL_MS, rest_url=binance.url
    )
    assert (again[0].pages, again[0].candles_stored) == (0, 0)


async def test_an_unknown_symbol_is_reported_and_the_others_go_on(
    binance: LocalBinance, store: CandleStore
) -> None:
    reports = await download(
        store, "binance", ["DOGE/USDT", "BTC/USDT"], "5m", SINCE_MS, SINCE_MS + 3_000_000,
        rest_url=binance.url,
    )  # fmt: skip
    assert reports[0].error == "binance: no market 'DOGE/USDT'"
    assert reports[1].ok
    assert reports[1].candles_stored == 10


async def test_bad_input_is_refused_before_anything_is_fetched(store: CandleStore) -> None:
    with pytest.raises(ValueError, match="base from quote"):
        await download(store, "binance", ["BTCXYZ"], "1h", 0, 1)
    with pytest.raises(ValueError, match="empty range"):
        await download(store, "binance", ["BTC/USDT"], "1h", 5, 5)
    with pytest.raises(UnknownVenueError):
        await download(store, "nowhere", ["BTC/USDT"], "1h", 0, 1)
