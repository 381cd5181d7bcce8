"""Candle storage engines: SQLite (the shipped `CandleStore`) against DuckDB, on real files.

ADR 0003's measurement. From the repository root::

    .venv/bin/ntx bench store [DATA_DIR] [--json]
    .venv/bin/python -m bench.candle_store [DATA_DIR] [--json]

DATA_DIR holds ``ohlcv/binance/*-{1h,5m}.csv.gz`` (default NTX_DATA_DIR). DuckDB and pyarrow are
not product dependencies: they come with the ``bench`` extra (``.venv/bin/pip install -e
'.[bench]'``). Without them SQLite alone is measured and the report says how to add DuckDB.

Each engine gets the same work: import every 1h and 5m file through the same row checks
(`RowParser`), import them again (idempotent upsert), read the newest 10,000 rows of BTC/USDT 5m
as float64 arrays, compute coverage with gap counts for every series, and upsert single candles
one transaction at a time (the live path). DuckDB is also timed on its own CSV reader, which
skips our per-row checks and line-numbered reports.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import importlib.util
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from market_store.candles import MarketKey
from market_store.store import CandleStore, import_path
from market_store.store.csvfile import RowParser, key_of

READ_KEY = MarketKey("binance", "BTC/USDT", "5m")


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """Return the median wall time of ``action`` in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def files(data_dir: Path) -> list[Path]:
    folder = data_dir / "ohlcv" / "binance"
    return sorted(folder.glob("*-1h.csv.gz")) + sorted(folder.glob("*-5m.csv.gz"))


def count_rows(path: Path) -> int:
    with gzip.open(path, "rt") as text:
        return sum(1 for _ in text) - 1


def checked_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    parse_row = RowParser(key_of(path).timeframe)
    with gzip.open(path, "rt", newline="") as text:
        reader = csv.reader(text)
        next(reader)
        for fields in reader:
            yield parse_row(fields)


def bench_sqlite(paths: list[Path], folder: Path) -> dict[str, float]:
    db = folder / "candles.sqlite"
    store = CandleStore(db)
    staging = folder / "staging" / "binance"
    staging.mkdir(parents=True)
    for path in paths:
        (staging / path.name).symlink_to(path)
    result = {"import_s": timed(lambda: import_path(store, staging))}
    result["reimport_s"] = timed(lambda: import_path(store, staging))
    result["read_10k_arrays_ms"] = 1000 * timed(
        lambda: store.read_arrays(READ_KEY, last=10_000), 20
    )
    result["coverage_all_ms"] = 1000 * timed(store.coverage, 5)
    live = MarketKey("binance", "LIVE/USDT", "1m")
    rows = iter([(i * 60_000, "1.0", "1.0", "1.0", "1.0", "2.5") for i in range(200)])
    result["upsert_one_ms"] = 1000 * timed(lambda: store.upsert_rows(live, [next(rows)]), 200)
    store.close()
    result["size_mb"] = sum(p.stat().st_size for p in folder.glob("candles.sqlite*")) / 1e6
    return result


DUCK_SCHEMA = """
CREATE TABLE candles (venue VARCHAR, symbol VARCHAR, timeframe VARCHAR, ts_open_ms BIGINT,
  open VARCHAR, high VARCHAR, low VARCHAR, close VARCHAR, volume VARCHAR,
  PRIMARY KEY (venue, symbol, timeframe, ts_open_ms))
"""
DUCK_UPSERT = """
INSERT INTO candles SELECT * FROM batch ON CONFLICT DO UPDATE SET open = excluded.open,
  high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
"""
DUCK_COVERAGE = """
SELECT venue, symbol, timeframe, MIN(ts), MAX(ts), COUNT(*),
  COUNT(*) FILTER (WHERE ts - prev > tf), SUM((ts - prev - 1) // tf) FILTER (WHERE ts - prev > tf)
FROM (SELECT venue, symbol, timeframe, ts_open_ms AS ts,
        CASE timeframe WHEN '1h' THEN 3600000 ELSE 300000 END AS tf,
        LAG(ts_open_ms) OVER (PARTITION BY venue, symbol, timeframe ORDER BY ts_open_ms) AS prev
      FROM candles) GROUP BY ALL
"""


def duck_import(con: Any, paths: list[Path]) -> None:
    pa = importlib.import_module("pyarrow")

    for path in paths:
        key = key_of(path)
        columns = list(zip(*checked_rows(path), strict=True))
        n = len(columns[0])
        batch = pa.table(
            {
                "venue": [key.venue] * n,
                "symbol": [key.symbol] * n,
                "timeframe": [key.timeframe] * n,
                "ts_open_ms": pa.array(columns[0], pa.int64()),
                **{name: columns[i + 1] for i, name in enumerate(("o", "h", "l", "c", "v"))},
            }
        )
        con.register("batch", batch)
        con.execute(DUCK_UPSERT)
        con.unregister("batch")


def duck_read(con: Any) -> list[np.ndarray]:
    rows = con.execute(
        "SELECT ts_open_ms, open, high, low, close, volume FROM candles WHERE venue = ? AND "
        "symbol = ? AND timeframe = ? ORDER BY ts_open_ms DESC LIMIT 10000",
        [READ_KEY.venue, READ_KEY.symbol, READ_KEY.timeframe],
    ).fetchall()
    table = np.array(rows[::-1], dtype=np.str_).astype(np.float64)
    return [table[:, i] for i in range(6)]


def bench_duckdb(paths: list[Path], folder: Path) -> dict[str, float]:
    duckdb = importlib.import_module("duckdb")

    db = folder / "candles.duckdb"
    con = duckdb.connect(str(db))
    con.execute(DUCK_SCHEMA)
    result = {"import_s": timed(lambda: duck_import(con, paths))}
    result["reimport_s"] = timed(lambda: duck_import(con, paths))
    result["read_10k_arrays_ms"] = 1000 * timed(lambda: duck_read(con), 20)
    result["coverage_all_ms"] = 1000 * timed(lambda: con.execute(DUCK_COVERAGE).fetchall(), 5)
    counter = iter(range(200))

    def one() -> None:
        i = next(counter)
        con.execute(
            "INSERT INTO candles VALUES ('binance', 'LIVE/USDT', '1m', ?, '1', '1', '1', '1', "
            "'2.5') ON CONFLICT DO UPDATE SET volume = excluded.volume",
            [i * 60_000],
        )

    result["upsert_one_ms"] = 1000 * timed(one, 200)
    native = duckdb.connect(str(folder / "native.duckdb"))
    native.execute(DUCK_SCHEMA)
    sources = ", ".join(f"'{p}'" for p in paths)  # our own file names
    columns = "'binance', filename, '-', CAST(timestamp AS BIGINT), open, high, low, close, volume"
    sql = f"SELECT {columns} FROM read_csv([{sources}], all_varchar = true, filename = true)"  # noqa: S608
    result["native_csv_import_s"] = timed(lambda: native.execute(f"INSERT INTO candles {sql}"))
    native.close()
    con.close()
    result["size_mb"] = db.stat().st_size / 1e6
    return result


DUCKDB_MISSING = (
    "not measured: {missing} not installed; DuckDB comes with the bench extra: "
    ".venv/bin/pip install -e '.[bench]' (or pip install duckdb pyarrow)"
)


def missing_engines() -> list[str]:
    """Return the comparison's modules that are not installed (duckdb, pyarrow)."""
    return [name for name in ("duckdb", "pyarrow") if importlib.util.find_spec(name) is None]


def run_candle_store_bench(data_dir: Path) -> dict[str, Any]:
    """Measure both engines on the candle files of `data_dir`; DuckDB only when installed."""
    paths = files(data_dir)
    if not paths:
        raise FileNotFoundError(f"no ohlcv/binance/*-1h or *-5m .csv.gz files under {data_dir}")
    report: dict[str, Any] = {"files": len(paths), "rows": sum(count_rows(p) for p in paths)}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sqlite").mkdir()
        report["sqlite"] = bench_sqlite(paths, Path(tmp) / "sqlite")
        missing = missing_engines()
        if missing:
            report["duckdb"] = DUCKDB_MISSING.format(missing=" and ".join(missing))
        else:
            (Path(tmp) / "duckdb").mkdir()
            report["duckdb"] = bench_duckdb(paths, Path(tmp) / "duckdb")
    return report
