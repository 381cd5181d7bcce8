"""The one candle loader: the store first, then the recording or the venue (real ccxt, local
Binance), on the market's clock; failures end in one line that says what to do."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from market_store.loader import CandleLoader, MarketDataError
from market_store.source import MarketSource
from market_store.store import CandleStore
from tests.data_paths import data_dir
from tests.fixtures.exchanges import DEFAULT_NOW_MS, Fault, LocalBinance

HOUR = 3_600_000
REGION_BODY = json.dumps(
    {
        "code": 0,
        "msg": "Service unavailable from a restricted location according to 'b. Eligibility' "
        "in https://www.binance.com/en/terms. Please contact customer service if you believe "
        "you received this message in error.",
    }
)


@pytest.fixture
def binance() -> Iterator[LocalBinance]:
    """Binance spot on 127.0.0.1, in a thread of its own (the loader blocks its caller); its
    clock is frozen months before this machine's."""
    ready = threading.Event()
    served: list[tuple[LocalBinance, asyncio.AbstractEventLoop, asyncio.Event]] = []

    async def serve() -> None:
        stop = asyncio.Event()
        async with LocalBinance() as exchange:
            served.append((exchange, asyncio.get_running_loop(), stop))
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=asyncio.run, args=(serve(),))
    thread.start()
    assert ready.wait(30)
    exchange, loop, stop = served[0]
    try:
        yield exchange
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)


def _loader(tmp_path: Path, source: MarketSource, said: list[str]) -> CandleLoader:
    store = CandleStore(tmp_path / "candles.sqlite")
    return CandleLoader(store, source, say=said.append, progress=False)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_venue_fills_the_store_up_to_its_own_now(binance: LocalBinance, tmp_path: Path) -> None:
    said: list[str] = []
    with _loader(tmp_path, MarketSource(rest_url=binance.url), said) as loader:
        now = loader.now_ms(["BTC/USDT"], "1h")
        assert abs(now - DEFAULT_NOW_MS) < 5_000  # the venue's clock, not this machine's
        since = DEFAULT_NOW_MS - 48 * HOUR
        candles = loader.load_all(["BTC/USDT", "ethusdt"], "1h", since, None)
    assert set(candles) == {"BTC/USDT", "ethusdt"}
    for bars in candles.values():
        # 2026-05-14 19:00 to 2026-05-16 17:00: the 18:00 candle is still forming at 18:30
        assert len(bars) == 47
        assert int(bars.ts_open_ms[-1]) == DEFAULT_NOW_MS - 90 * 60_000
    assert any("downloading BTC/USDT, ETH/USDT 1h" in line for line in said)


def test_a_range_the_store_holds_is_read_without_asking_the_venue(
    binance: LocalBinance, tmp_path: Path
) -> None:
    since, until = DEFAULT_NOW_MS - 72 * HOUR, DEFAULT_NOW_MS - 24 * HOUR
    with _loader(tmp_path, MarketSource(rest_url=binance.url), []) as loader:
        first = loader.load("BTC/USDT", "1h", since, until)
        asked = len(binance.requests)
        again = loader.load("BTC/USDT", "1h", since, until)
    assert len(binance.requests) == asked
    assert len(first) == 48
    assert (again.close == first.close).all()


def test_an_unreachable_venue_says_how_to_replay_instead(tmp_path: Path) -> None:
    source = MarketSource(rest_url=f"http://127.0.0.1:{_closed_port()}")
    with (
        _loader(tmp_path, source, []) as loader,
        pytest.raises(MarketDataError, match="cannot reach binance") as raised,
    ):
        loader.load("BTC/USDT", "1h", 0, None)
    assert "NTX_DATA_DIR=" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_refused_region_names_the_setting_for_another_venue(
    binance: LocalBinance, tmp_path: Path
) -> None:
    binance.faults.add("time", Fault(451, body=REGION_BODY))
    with (
        _loader(tmp_path, MarketSource(rest_url=binance.url), []) as loader,
        pytest.raises(MarketDataError, match="HTTP 451") as raised,
    ):
        loader.now_ms(["BTC/USDT"], "1h")
    assert "DATA_CORE__STREAMS__VENUE=bybit" in str(raised.value)


def test_a_recording_is_imported_once_and_its_end_is_the_market_now(tmp_path: Path) -> None:
    said: list[str] = []
    with _loader(tmp_path, MarketSource(data_dir=data_dir()), said) as loader:
        now = loader.now_ms(["BTC/USDT", "ETH/USDT"], "1h")
        bars = loader.load("BTC/USDT", "1h", now - 24 * HOUR, now)
        loader.load("BTC/USDT", "1h", 0, now + 365 * 24 * HOUR)  # beyond the recording
    assert len(bars) == 24
    assert int(bars.ts_open_ms[-1]) + HOUR == now
    assert [line for line in said if "imported" in line and "BTC/USDT" in line] == [
        f"binance:BTC/USDT:1h: imported {len(loader_rows(tmp_path))} candles from "
        f"{data_dir() / 'ohlcv' / 'binance' / 'BTC_USDT-1h.csv.gz'}"
    ]


def loader_rows(tmp_path: Path) -> list[object]:
    """The BTC/USDT 1h rows the store holds."""
    from market_store.candles import MarketKey

    with CandleStore(tmp_path / "candles.sqlite") as store:
        return list(store.read_rows(MarketKey("binance", "BTC/USDT", "1h")))


def test_a_series_the_recording_lacks_is_refused_by_name(tmp_path: Path) -> None:
    with (
        _loader(tmp_path, MarketSource(data_dir=data_dir()), []) as loader,
        pytest.raises(MarketDataError, match=r"NTX_DATA_DIR=.* has no binance:NOPE/USDT:1h"),
    ):
        loader.load("NOPE/USDT", "1h")
