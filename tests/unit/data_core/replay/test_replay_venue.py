"""The replay venue emits real candles when they close, across symbols in close-time order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import aclosing
from pathlib import Path

import pytest

from data_core.clock import SimClock
from data_core.replay import ReplayVenue, make_replay, recent_start_ms, replay_symbol
from market_store.candles import Candle, MarketKey
from market_store.imports import ensure_imported
from market_store.store import CandleStore
from tests.data_paths import candle_file, data_dir, manifest_entry

HOUR = 3_600_000
HALT_2023 = 1_679_659_200_000  # 2023-03-24 12:00, the last candle before the spot halt
SYMBOLS = ("BTC/USDT", "ETH/USDT", "SOL/USDT")
Seen = list[tuple[int, str, int]]  # close, symbol, clock when yielded


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CandleStore]:
    with CandleStore(tmp_path_factory.mktemp("replay") / "candles.sqlite") as opened:
        for base in ("BTC", "ETH", "SOL", "BNB"):
            key = MarketKey("binance", f"{base}/USDT", "1h")
            report = ensure_imported(opened, data_dir(), key)
            assert report is not None
            assert (report.rejected, report.error) == (0, None)
        yield opened


async def replay(venue: ReplayVenue, symbols: tuple[str, ...], bars: int) -> Seen:
    seen: Seen = []

    async def watch(symbol: str) -> None:
        async with aclosing(venue.watch_closed(symbol, "1h")) as candles:
            async for candle in candles:
                seen.append((candle.ts_open_ms + HOUR, symbol, venue.clock.now_ms()))
                if sum(1 for s in seen if s[1] == symbol) == bars:
                    return

    async with asyncio.TaskGroup() as group:
        for symbol in symbols:
            group.create_task(watch(symbol))
    return seen


async def test_symbols_interleave_in_close_order_on_one_clock(store: CandleStore) -> None:
    start = HALT_2023 - 50 * HOUR
    venue = ReplayVenue(store, SimClock(start, "max"))
    seen = await replay(venue, SYMBOLS, 100)
    closes = [close for close, _, _ in seen]
    clock = [now for _, _, now in seen]
    assert closes == sorted(closes)
    assert clock == sorted(clock)  # never backwards
    assert all(now == close for close, _, now in seen)  # yielded when closed, not before
    assert seen[0][0] == start + HOUR
    for symbol in SYMBOLS:  # the halt: 13:00 never traded, 14:00 closes at 15:00
        opens = [close - HOUR for close, s, _ in seen if s == symbol]
        assert HALT_2023 + HOUR not in opens
        assert {HALT_2023, HALT_2023 + 2 * HOUR} <= set(opens)


async def test_max_speed_replays_a_thousand_bars_fast(store: CandleStore) -> None:
    key = MarketKey("binance", "BTC/USDT", "1h")
    clock = SimClock(recent_start_ms(store, [key], 1_000), "max")
    started = time.perf_counter()
    seen = await replay(ReplayVenue(store, clock), ("BTC/USDT",), 1_000)
    assert time.perf_counter() - started < 2.0
    assert len(seen) == 1_000
    assert seen[-1][0] == store.coverage()[1].last_close_ms  # BTC is the second key


async def test_the_watch_ends_with_the_recording(store: CandleStore) -> None:
    key = MarketKey("binance", "BNB/USDT", "1h")
    last = store.last_open_ms(key)
    assert last is not None
    venue = ReplayVenue(store, SimClock(last - 2 * HOUR))
    got = [c.ts_open_ms async for c in venue.watch_closed("bnb_usdt", "1h")]
    assert got == [last - 2 * HOUR, last - HOUR, last]  # from the one forming at the start


async def test_fetch_closed_sees_only_the_simulated_past(store: CandleStore) -> None:
    clock = SimClock(HALT_2023 + 30 * 60_000)  # 12:30: the 12:00 candle is still open
    venue = ReplayVenue(store, clock)
    newest = await venue.fetch_closed("BTC/USDT", "1h", None, 3)
    assert [c.ts_open_ms for c in newest] == [HALT_2023 - 3 * HOUR + h * HOUR for h in range(3)]
    since = await venue.fetch_closed("BTC/USDT", "1h", HALT_2023 - 10 * HOUR, 4)
    assert [c.ts_open_ms for c in since] == [HALT_2023 - (10 - h) * HOUR for h in range(4)]
    assert await venue.fetch_closed("BTC/USDT", "1h", HALT_2023, 10) == []
    stored = store.read(MarketKey("binance", "BTC/USDT", "1h"), HALT_2023 - HOUR, HALT_2023)
    assert isinstance(stored[0], Candle)
    assert newest[-1] == stored[0]
    await venue.close()


def test_the_recent_window_ends_at_the_latest_close(store: CandleStore) -> None:
    btc, bnb = (MarketKey("binance", f"{b}/USDT", "1h") for b in ("BTC", "BNB"))
    btc_last = store.last_open_ms(btc)
    assert btc_last is not None
    assert recent_start_ms(store, [bnb, btc], 336) == btc_last + HOUR - 336 * HOUR
    with pytest.raises(LookupError):
        recent_start_ms(store, [MarketKey("binance", "NONE/USDT", "1h")], 10)


def test_symbols_are_read_in_the_common_styles() -> None:
    assert {replay_symbol(s) for s in ("BTC/USDT", "btc-usdt", "BTC_USDT")} == {"BTC/USDT"}
    with pytest.raises(ValueError, match="BTC/USDT"):
        replay_symbol("BTCUSDT")


async def test_a_missing_series_is_imported_from_the_data_folder(tmp_path: Path) -> None:
    key = MarketKey("binance", "LTC/USDT", "1h")
    first: int = manifest_entry(candle_file("LTC", "1h"))["start"]
    with CandleStore(tmp_path / "candles.sqlite") as store:
        venue = ReplayVenue(store, SimClock(first + 100 * HOUR + 1), data_dir=data_dir())
        candles = await venue.fetch_closed("LTC/USDT", "1h", None, 2)
        assert [c.ts_open_ms for c in candles] == [first + 98 * HOUR, first + 99 * HOUR]
        assert store.coverage()[0].key == key
        assert ensure_imported(store, data_dir(), key, first, None) is None
        # before the recording starts: imported whole already, and the file has not changed
        assert ensure_imported(store, data_dir(), key, 1_000, None) is None
        assert ensure_imported(store, tmp_path, key, 1_000, None) is None  # no file there


async def test_make_replay_imports_and_starts_at_the_recent_window(tmp_path: Path) -> None:
    with CandleStore(tmp_path / "candles.sqlite") as store:
        venue = make_replay(
            store, ["XRP/USDT", "ADA/USDT"], "1h", data_dir=data_dir(), recent_bars=24
        )
        seen = await replay(venue, ("XRP/USDT", "ADA/USDT"), 24)
        assert len(seen) == 48
        assert seen[-1][0] == store.coverage()[0].last_close_ms
        with pytest.raises(ValueError, match="exactly one"):
            make_replay(store, ["XRP/USDT"], "1h", start_ms=0, recent_bars=1)
