"""`CandleStore` keeps exact decimals, upserts idempotently and reads ranges and gaps."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from market_store.candles import Candle, MarketKey
from market_store.store import CandleStore, Gap, schema
from tests.unit.market_store.store.slices import BTC_1H, real_lines

HOUR = 3_600_000


def real_candles(count: int = 200) -> list[Candle]:
    """The first BTC/USDT 1h candles (2018-01-01 on; one missing hour on 2018-01-04)."""
    rows = [line.rstrip("\n").split(",") for line in real_lines("BTC", "1h", count)]
    return [Candle(int(r[0]), *(Decimal(x) for x in r[1:])) for r in rows]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CandleStore]:
    with CandleStore(tmp_path / "candles.sqlite") as opened:
        yield opened


def test_upsert_is_idempotent_and_counts_what_changed(store: CandleStore) -> None:
    candles = real_candles()
    assert store.upsert(BTC_1H, candles) == 200
    assert store.upsert(BTC_1H, candles) == 0
    revised = replace(candles[-1], volume=candles[-1].volume + 1)
    assert store.upsert(BTC_1H, [*candles[:-1], revised]) == 1
    assert store.read(BTC_1H, last=1) == [revised]


def test_decimals_come_back_exactly_as_written(store: CandleStore) -> None:
    candles = real_candles()
    store.upsert(BTC_1H, candles)
    assert store.read(BTC_1H) == candles
    assert [str(c.close) for c in store.read(BTC_1H)] == [str(c.close) for c in candles]


def test_an_unsound_candle_writes_nothing(store: CandleStore) -> None:
    candles = real_candles(10)
    broken = replace(candles[5], high=candles[5].low / 2)
    with pytest.raises(ValueError, match=r"binance:BTC/USDT:1h: candle at \d+: high .* below"):
        store.upsert(BTC_1H, [*candles[:5], broken])
    assert store.read(BTC_1H) == []
    assert store.last_open_ms(BTC_1H) is None


def test_ranges_are_half_open_with_first_and_last(store: CandleStore) -> None:
    candles = real_candles()
    store.upsert(BTC_1H, candles)
    start, end = candles[10].ts_open_ms, candles[20].ts_open_ms
    assert store.read(BTC_1H, start, end) == candles[10:20]
    assert store.read(BTC_1H, start, end, last=3) == candles[17:20]
    assert store.read(BTC_1H, start, limit=2) == candles[10:12]
    assert store.read(BTC_1H, end_ms=candles[0].ts_open_ms) == []
    assert store.last_open_ms(BTC_1H) == candles[-1].ts_open_ms
    with pytest.raises(ValueError, match=">= 0"):
        store.read(BTC_1H, last=-1)


def test_arrays_are_the_correctly_rounded_floats(store: CandleStore) -> None:
    candles = real_candles()
    store.upsert(BTC_1H, candles)
    arrays = store.read_arrays(BTC_1H, last=50)
    assert arrays.ts_open_ms.dtype == np.int64
    assert arrays.ts_open_ms.tolist() == [c.ts_open_ms for c in candles[-50:]]
    for name in ("open", "high", "low", "close", "volume"):
        expected = [float(getattr(c, name)) for c in candles[-50:]]
        assert getattr(arrays, name).tolist() == expected
    assert len(store.read_arrays(MarketKey("binance", "NONE/USDT", "1h"))) == 0


def test_coverage_and_gaps_of_a_real_slice(store: CandleStore) -> None:
    candles = real_candles()
    store.upsert(BTC_1H, candles)
    eth = MarketKey("binance", "ETH/USDT", "1h")
    store.upsert(eth, candles[:3])
    (btc_cov, eth_cov) = store.coverage()
    assert (btc_cov.key, btc_cov.rows, btc_cov.gaps, btc_cov.missing) == (BTC_1H, 200, 1, 1)
    assert (btc_cov.first_open_ms, btc_cov.last_open_ms) == (
        candles[0].ts_open_ms,
        candles[-1].ts_open_ms,
    )
    assert btc_cov.last_close_ms == candles[-1].ts_open_ms + HOUR
    assert (eth_cov.rows, eth_cov.gaps) == (3, 0)
    # README: 2018-01-04 03:00 -> 05:00, one hour missing.
    assert store.gaps(BTC_1H) == [Gap(1_515_034_800_000, 1_515_042_000_000, HOUR, 1)]
    assert store.keys() == [BTC_1H, eth]


def test_a_key_with_a_bad_timeframe_is_refused(store: CandleStore) -> None:
    with pytest.raises(ValueError, match="not a timeframe"):
        store.upsert(MarketKey("binance", "BTC/USDT", "1M"), real_candles(1))


def test_the_file_is_a_wal_database_at_the_newest_revision(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "candles.sqlite"
    CandleStore(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (schema.MIGRATIONS.head,)
        ]
