"""Candles for training: the shared CSV.gz files, or data_core's SQLite store read-only.

model_engine may not import data_core (import-linter), so this is its own small reader of the
store layout (``markets``/``candles`` tables, prices as decimal text; see
``market_store/store/schema.py``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from feature_spec import Ohlcv

VENUE = "binance"
_SELECT = """
    SELECT c.ts_open_ms, c.open, c.high, c.low, c.close, c.volume
    FROM candles AS c JOIN markets AS m ON m.id = c.market_id
    WHERE m.venue = ? AND m.symbol = ? AND m.timeframe = ?
      AND c.ts_open_ms >= ? AND c.ts_open_ms < ?
    ORDER BY c.ts_open_ms
"""


def default_data_dir() -> Path:
    """Return ``NTX_DATA_DIR`` (relative to the working directory), or ``../shared/data``."""
    raw = os.environ.get("NTX_DATA_DIR")
    if raw:
        return Path(raw).expanduser()
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def csv_path(data_dir: Path, symbol: str, timeframe: str, venue: str = VENUE) -> Path:
    """Return ``ohlcv/<venue>/<BASE>_<QUOTE>-<tf>.csv.gz`` for ``BASE/QUOTE`` (or ``BASE``)."""
    base, _, quote = symbol.upper().partition("/")
    return data_dir / "ohlcv" / venue / f"{base}_{quote or 'USDT'}-{timeframe}.csv.gz"


def _cut(bars: Ohlcv, since_ms: int | None, until_ms: int | None) -> Ohlcv:
    ts = bars.ts_open_ms
    start = 0 if since_ms is None else int(np.searchsorted(ts, since_ms, side="left"))
    stop = len(bars) if until_ms is None else int(np.searchsorted(ts, until_ms, side="left"))
    return bars.window(start, stop)


def load_csv(
    data_dir: Path,
    symbol: str,
    timeframe: str,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> Ohlcv:
    """Read one CSV.gz series, keeping candles opening in ``[since_ms, until_ms)``.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    """
    path = csv_path(data_dir, symbol, timeframe)
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return _cut(Ohlcv.from_rows(table), since_ms, until_ms)


def load_store(
    store: Path,
    symbol: str,
    timeframe: str,
    since_ms: int | None = None,
    until_ms: int | None = None,
    venue: str = VENUE,
) -> Ohlcv:
    """Read one series from data_core's SQLite store, opened read-only.

    Raises
    ------
    FileNotFoundError
        If the store file does not exist.
    """
    if not store.is_file():
        raise FileNotFoundError(f"no candle store at {store}")
    uri = f"{store.resolve().as_uri()}?mode=ro"
    bounds = (since_ms or 0, until_ms if until_ms is not None else 2**62)
    with sqlite3.connect(uri, uri=True) as conn:
        rows = conn.execute(_SELECT, (venue, symbol.upper(), timeframe, *bounds)).fetchall()
    table = np.array([[float(v) for v in row] for row in rows], dtype=np.float64)
    return Ohlcv.from_rows(table.reshape(-1, 6))


def fingerprint(series: Iterable[tuple[str, Ohlcv]]) -> str:
    """Return a sha256 over the symbols and every candle value: the data a model saw."""
    digest = hashlib.sha256()
    for name, bars in series:
        digest.update(name.encode())
        for column in (bars.ts_open_ms, bars.open, bars.high, bars.low, bars.close, bars.volume):
            digest.update(np.ascontiguousarray(column).tobytes())
    return digest.hexdigest()


__all__ = ["csv_path", "default_data_dir", "fingerprint", "load_csv", "load_store"]
