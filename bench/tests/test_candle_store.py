"""The storage benchmark measures SQLite on real files, and says how to add DuckDB without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.candle_store import run
from tests.data_paths import data_dir


@pytest.fixture
def one_file(tmp_path: Path) -> Path:
    """A data folder holding one real 1h candle file."""
    folder = tmp_path / "ohlcv" / "binance"
    folder.mkdir(parents=True)
    name = "ADA_USDT-1h.csv.gz"
    (folder / name).write_bytes((data_dir() / "ohlcv" / "binance" / name).read_bytes())
    return tmp_path


def test_without_duckdb_sqlite_is_measured_and_the_extra_named(
    one_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "missing_engines", lambda: ["duckdb"])
    report = run.run_candle_store_bench(one_file)
    assert report["files"] == 1
    assert report["rows"] > 0
    assert report["sqlite"]["import_s"] > 0
    assert report["duckdb"].startswith("not measured: duckdb not installed")
    assert "pip install -e '.[bench]'" in report["duckdb"]


def test_a_folder_without_candle_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="ohlcv/binance"):
        run.run_candle_store_bench(tmp_path)
