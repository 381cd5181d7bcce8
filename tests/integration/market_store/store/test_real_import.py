"""The real candle files import whole and idempotently, with the gaps MANIFEST.json lists."""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

from market_store.candles import MarketKey
from market_store.store import CandleStore, export_key, import_file, import_path
from tests.data_paths import candle_entries, candle_file, data_dir

BTC_1H = MarketKey("binance", "BTC/USDT", "1h")


def test_btc_1h_imports_idempotently_with_its_outages(tmp_path: Path) -> None:
    entry = candle_entries("1h")["BTC_USDT-1h.csv.gz"]
    with CandleStore(tmp_path / "candles.sqlite") as store:
        first = import_file(store, candle_file("BTC", "1h"))
        again = import_file(store, candle_file("BTC", "1h"))
        (coverage,) = store.coverage()
        gaps = store.gaps(BTC_1H)
    assert (first.rows, first.written, first.rejected, first.error) == (
        entry["rows"],
        entry["rows"],
        0,
        None,
    )
    assert (again.rows, again.written) == (entry["rows"], 0)
    assert (coverage.rows, coverage.first_open_ms, coverage.last_open_ms) == (
        entry["rows"],
        entry["start"],
        entry["end"],
    )
    assert (coverage.gaps, coverage.missing) == (entry["gaps"], entry["missing_candles"])
    # every hole is an exchange outage inside a slice or a join between the file's slices
    found = [(g.prev_open_ms, g.next_open_ms, g.missing) for g in gaps]
    listed = [(g["last_before"], g["first_after"], g["missing"]) for g in entry["outages"]]
    joins = [(g["last_before"], g["first_after"], g["missing"]) for g in entry["cuts"]]
    assert found == sorted(listed + joins)
    assert len(listed) == 16  # of the full file's 27 outages
    assert (1_518_048_000_000, 1_518_170_400_000, 33) in listed  # the Feb-2018 trading halt
    assert (1_679_659_200_000, 1_679_666_400_000, 1) in listed  # the 24-Mar-2023 spot halt


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
    assert rows == candle_entries("1h")["BTC_USDT-1h.csv.gz"]["rows"]
    with gzip.open(whole, "rb") as mine, gzip.open(source, "rb") as theirs:
        assert mine.read() == theirs.read()
    with gzip.open(part, "rb") as mine:
        assert mine.read() == header + b"".join(lines[1_000:-1])
    assert part_rows == 3_999
