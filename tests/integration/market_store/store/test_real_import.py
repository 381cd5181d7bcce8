"""The real candle files import whole and idempotently, with the outages MANIFEST.json lists."""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

from market_store.candles import MarketKey
from market_store.store import CandleStore, export_key, import_file, import_path
from tests.data_paths import candle_file, data_dir
from tests.integration.market_store.store.manifest import candle_entries

BTC_1H = MarketKey("binance", "BTC/USDT", "1h")


def test_btc_1h_imports_idempotently_with_its_27_gaps(tmp_path: Path) -> None:
    entry = candle_entries("1h")["BTC_USDT-1h.csv.gz"]
    with CandleStore(tmp_path / "candles.sqlite") as store:
        first = import_file(store, candle_file("BTC", "1h"))
        again = import_file(store, candle_file("BTC", "1h"))
        (coverage,) = store.coverage()
        gaps = store.gaps(BTC_1H)
    assert (first.rows, first.written, first.rejected, first.error) == (
        entry["rows"],
        73_265,
        0,
        None,
    )
    assert (again.rows, again.written) == (entry["rows"], 0)
    assert (coverage.rows, coverage.first_open_ms, coverage.last_open_ms) == (
        entry["rows"],
        entry["start"],
        entry["end"],
    )
    assert (
        (coverage.gaps, coverage.missing) == (entry["gaps"], entry["missing_candles"]) == (27, 122)
    )
    assert len(gaps) == 27
    assert sum(g.missing for g in gaps) == 122
    assert max(g.missing for g in gaps) == 33  # the Feb-2018 trading halt


def test_every_1h_file_matches_the_manifest(tmp_path: Path) -> None:
    entries = candle_entries("1h")
    staging = tmp_path / "ohlcv" / "binance"
    staging.mkdir(parents=True)
    for name in entries:
        (staging / name).symlink_to(data_dir() / "ohlcv" / "binance" / name)
    with CandleStore(tmp_path / "candles.sqlite") as store:
        report = import_path(store, tmp_path)
        coverage = {f"{c.key.symbol.replace('/', '_')}-1h.csv.gz": c for c in store.coverage()}
    assert (report.failed, report.rejected, len(report.files)) == ([], 0, len(entries))
    assert coverage.keys() == entries.keys()
    for name, entry in entries.items():
        found = coverage[name]
        expected = (entry["rows"], entry["start"], entry["end"], entry["gaps"])
        assert (found.rows, found.first_open_ms, found.last_open_ms, found.gaps) == expected
        assert found.missing == entry["missing_candles"], name


def test_export_gives_back_the_real_rows_byte_for_byte(tmp_path: Path) -> None:
    source = candle_file("BTC", "1h")
    with gzip.open(source, "rb") as raw:
        header, *lines = list(islice(raw, 0, 5_001))
    start_ms, end_ms = int(lines[1_000].split(b",")[0]), int(lines[-1].split(b",")[0])
    with CandleStore(tmp_path / "candles.sqlite") as store:
        import_file(store, source)
        whole, rows = export_key(store, BTC_1H, tmp_path / "whole")
        part, part_rows = export_key(store, BTC_1H, tmp_path / "part", start_ms, end_ms)
    assert whole == tmp_path / "whole" / "ohlcv" / "binance" / "BTC_USDT-1h.csv.gz"
    assert rows == 73_265
    with gzip.open(whole, "rb") as mine, gzip.open(source, "rb") as theirs:
        assert mine.read() == theirs.read()
    with gzip.open(part, "rb") as mine:
        assert mine.read() == header + b"".join(lines[1_000:-1])
    assert part_rows == 3_999
