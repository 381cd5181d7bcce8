"""`ntx data import | list | export` on real files, as a user runs them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from neurotradex.cli.data import app, parse_time_ms
from tests.data_paths import candle_file, manifest_entry
from tests.unit.market_store.store.slices import real_lines, write_file

runner = CliRunner()


def run(home: Path, *args: str, code: int = 0) -> dict[str, Any]:
    """Run a command with --json and return the JSON object on its last line."""
    result = runner.invoke(app, [*args, "--json"], env={"NTX_HOME": str(home)})
    assert result.exit_code == code, result.output
    last: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return last


def test_import_list_export_round_trip(tmp_path: Path) -> None:
    home = tmp_path / "home"
    entry = manifest_entry(candle_file("BTC", "1h"))
    rows = entry["rows"]
    first = run(home, "import", str(candle_file("BTC", "1h")))
    again = run(home, "import", str(candle_file("BTC", "1h")))
    assert (first["rows"], first["written"], first["rejected"]) == (rows, rows, 0)
    assert (again["written"], again["unchanged"]) == (0, rows)
    assert (home / "data" / "candles.sqlite").is_file()

    listed = run(home, "list")
    (market,) = listed["markets"]
    assert (market["symbol"], market["gaps"], market["missing"]) == (
        "BTC/USDT",
        entry["gaps"],
        entry["missing_candles"],
    )
    assert market["first_open"] == "2018-01-01T00:00:00Z"
    assert market["gap_list"][1]["missing"] == 33
    assert market["gap_list"][1]["first_missing_open"] == "2018-02-08T01:00:00Z"
    assert run(home, "list", "--symbol", "ETH/USDT")["markets"] == []

    out = tmp_path / "rebuilt"
    exported = run(home, "export", str(out), "--timeframe", "1h")
    assert exported["files"] == [
        {"path": str(out / "ohlcv" / "binance" / "BTC_USDT-1h.csv.gz"), "rows": rows}
    ]
    rebuilt = out / "ohlcv" / "binance" / "BTC_USDT-1h.csv.gz"
    with gzip.open(rebuilt) as mine, gzip.open(candle_file("BTC", "1h")) as theirs:
        assert mine.read() == theirs.read()


def test_bad_rows_are_listed_and_the_import_still_succeeds(tmp_path: Path) -> None:
    lines = real_lines("ETH", "5m", 20)
    lines[4] = "1735604400000,1,2,3\n"
    path = write_file(tmp_path / "data", "ETH_USDT-5m.csv.gz", lines)
    result = run(tmp_path / "home", "import", "--db", str(tmp_path / "x.sqlite"), str(path))
    assert (result["rows"], result["rejected"]) == (19, 1)
    assert result["rejects"] == [
        {"path": str(path), "line": 6, "reason": "expected 6 fields, got 4"}
    ]
    people = runner.invoke(app, ["import", "--db", str(tmp_path / "x.sqlite"), str(path)])
    assert people.exit_code == 0
    assert f"{path}:6: expected 6 fields, got 4" in people.output.replace("\n", "")


def test_an_unreadable_file_fails_the_command(tmp_path: Path) -> None:
    path = tmp_path / "binance" / "BTC_USDT-1h.csv.gz"
    path.parent.mkdir()
    path.write_bytes(b"not gzip")
    result = run(tmp_path / "home", "import", str(path), code=1)
    assert result["failed_files"] == 1
    assert "unreadable" in result["file_reports"][0]["error"]


def test_exporting_nothing_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "out")], env={"NTX_HOME": str(tmp_path)})
    assert result.exit_code == 1


def test_times_are_epoch_ms_or_iso_utc() -> None:
    assert parse_time_ms("1704067200000") == 1_704_067_200_000
    assert parse_time_ms("2024-01-01") == 1_704_067_200_000
    assert parse_time_ms("2024-01-01T01:00Z") == 1_704_070_800_000
