"""A candle store written by 9ed69dc (schema version 1) opens with its candles and migrates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from market_store.imports import ensure_imported
from market_store.store import CandleStore
from tests.legacy_stores import legacy_store, tables
from tests.unit.market_store.store.slices import BTC_1H, real_lines, write_file


def test_a_9ed69dc_store_keeps_its_candles_and_records_imports(tmp_path: Path) -> None:
    path = legacy_store("candles", tmp_path)
    with CandleStore(path) as store:
        stored = store.read_rows(BTC_1H)
        assert [row[1:] for row in stored] == [
            tuple(line.strip().split(",")[1:]) for line in real_lines("BTC", "1h", 48)
        ]
        # the imports table of revision candles_0002 works: a recorded file is not read again
        lines = real_lines("BTC", "1h", 72)
        write_file(tmp_path / "data" / "ohlcv", "BTC_USDT-1h.csv.gz", lines)
        report = ensure_imported(store, tmp_path / "data", BTC_1H, 0, None)
        assert report is not None
        assert report.written == 24
        assert ensure_imported(store, tmp_path / "data", BTC_1H, 0, None) is None
        assert len(store.read(BTC_1H)) == 72
    assert tables(path) == {
        "markets": "", "candles": "", "imports": "", "alembic_version": "candles_0002",
    }  # fmt: skip
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()


def test_a_store_of_the_unreleased_version_two_is_stamped_and_keeps_its_imports(
    tmp_path: Path,
) -> None:
    path = legacy_store("candles", tmp_path)
    with sqlite3.connect(path) as db:  # what the pre-Alembic code after 9ed69dc left
        db.execute("CREATE TABLE imports (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                   " mtime_ns INTEGER NOT NULL)")  # fmt: skip
        db.execute("INSERT INTO imports VALUES ('/somewhere/BTC_USDT-1h.csv.gz', 1, 2)")
        db.execute("PRAGMA user_version = 2")
    db.close()
    with CandleStore(path) as store:
        assert len(store.read(BTC_1H)) == 48
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT size, mtime_ns FROM imports").fetchall() == [(1, 2)]
    db.close()
    assert tables(path)["alembic_version"] == "candles_0002"
