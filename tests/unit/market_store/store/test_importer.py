"""Bad rows are reported with file and line and skipped; the good rows still land."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from market_store.store import CandleStore, import_file, import_path
from tests.unit.market_store.store.slices import BTC_1H, real_lines, write_file


@pytest.fixture
def store(tmp_path: Path) -> CandleStore:
    return CandleStore(tmp_path / "candles.sqlite")


def with_field(line: str, index: int, value: str) -> str:
    """Return a data line with one field replaced."""
    fields = line.rstrip("\n").split(",")
    fields[index] = value
    return ",".join(fields) + "\n"


def corrupt(lines: list[str]) -> list[str]:
    """Damage rows 3-10 of a real slice (lines 4-11 of the file, after the header)."""
    bad = list(lines)
    bad[2] = bad[2].rsplit(",", 1)[0] + "\n"  # a field short
    bad[3] = with_field(bad[3], 0, "abc")
    bad[4] = with_field(bad[4], 2, "-1")  # negative high
    bad[5] = with_field(bad[5], 2, bad[5].split(",")[3])  # high = low, below open/close
    bad[6] = bad[6].rstrip("\n") + ",1\n"  # a field too many
    bad[7] = with_field(bad[7], 0, str(int(bad[7].split(",")[0]) + 1))  # off the grid
    bad[8] = bad[1]  # duplicate of line 3
    bad[9] = with_field(bad[9], 5, "1e3")
    return bad


def test_malformed_rows_are_reported_and_skipped(store: CandleStore, tmp_path: Path) -> None:
    lines = real_lines("BTC", "1h", 50)
    path = write_file(tmp_path / "data", "BTC_USDT-1h.csv.gz", corrupt(lines))
    report = import_path(store, path)
    (file,) = report.files
    assert (file.key, file.rows, file.rejected, file.error) == (BTC_1H, 42, 8, None)
    reasons = {r.line: r.reason for r in report.rejects}
    assert all(r.path == path for r in report.rejects)
    assert sorted(reasons) == list(range(4, 12))
    assert reasons[4] == "expected 6 fields, got 5"
    assert reasons[5] == "timestamp 'abc' is not an integer of epoch milliseconds"
    assert reasons[6].startswith("high must be a positive price, got -1")
    assert "is below max(open, close)" in reasons[7]
    assert reasons[8] == "expected 6 fields, got 7"
    assert "is not a 1h candle open" in reasons[9]
    assert reasons[10] == f"duplicate timestamp {lines[1].split(',')[0]} (first on line 3)"
    assert reasons[11] == "volume '1e3' is not a decimal number"
    assert str(report.rejects[0]) == f"{path}:4: expected 6 fields, got 5"
    good = [line for i, line in enumerate(lines) if not 2 <= i <= 9]
    stored = store.read_rows(BTC_1H)
    assert [",".join(map(str, row)) + "\n" for row in stored] == good


def test_a_wrong_header_rejects_the_file(store: CandleStore, tmp_path: Path) -> None:
    lines = real_lines("BTC", "1h", 5)
    path = write_file(tmp_path / "data", "BTC_USDT-1h.csv.gz", lines, header="ts,o,h,l,c,v\n")
    file = import_file(store, path)
    assert file.error is not None
    assert file.error.startswith(f"{path}:1: header ['ts', 'o', 'h', 'l', 'c', 'v'] is not")
    assert store.coverage() == []


def test_a_truncated_file_keeps_the_rows_before_the_fault(
    store: CandleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("market_store.store.importer.CHUNK_ROWS", 100)
    path = write_file(tmp_path / "data", "BTC_USDT-1h.csv.gz", real_lines("BTC", "1h", 3_000))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    file = import_file(store, path)
    assert file.error is not None
    assert "unreadable" in file.error
    assert file.rows > 0
    assert [c.rows for c in store.coverage()] == [file.rows]  # every row read before the fault


def test_folders_are_searched_and_other_files_skipped(store: CandleStore, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_file(data / "ohlcv", "BTC_USDT-1h.csv.gz", real_lines("BTC", "1h", 10))
    write_file(data / "ohlcv", "ETH_USDT-5m.csv.gz", real_lines("ETH", "5m", 10))
    news = data / "news" / "cryptopanic.csv.gz"
    news.parent.mkdir(parents=True)
    news.write_bytes(gzip.compress(b"timestamp,source,title,votes\n"))
    report = import_path(store, data)
    assert [f.key and str(f.key) for f in report.files] == [
        "binance:BTC/USDT:1h",
        "binance:ETH/USDT:5m",
    ]
    assert report.skipped_files == [news]
    assert (report.rows, report.written, report.rejected, report.failed) == (20, 20, 0, [])


def test_a_badly_named_file_is_an_error_not_a_crash(store: CandleStore, tmp_path: Path) -> None:
    path = write_file(tmp_path / "data", "BTCUSDT.csv.gz", real_lines("BTC", "1h", 2))
    (file,) = import_path(store, path).files
    assert file.error == f"{path}: not a candle file name like BTC_USDT-1h.csv.gz"
