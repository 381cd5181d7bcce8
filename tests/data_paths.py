"""The one way tests reach market data: the committed slices under ``tests/fixtures/data``.

The folder has the layout of the project's full data folder (``ohlcv/binance/*.csv.gz``,
``news/*.csv.gz``) and a MANIFEST.json written by its ``cut.py`` (rows, spans, outages, slices).
Tests never read NTX_DATA_DIR or ``../shared``; tests that start processes pass
``NTX_DATA_DIR=<data_dir()>`` to them explicitly.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from feature_spec import Ohlcv

_DATA = Path(__file__).resolve().parent / "fixtures" / "data"


def data_dir() -> Path:
    """Return the fixture data folder holding ``ohlcv/`` and ``news/`` (and MANIFEST.json)."""
    return _DATA


def candle_file(base: str, timeframe: str, venue: str = "binance") -> Path:
    """Return the candle file of ``<base>/USDT`` at ``timeframe``."""
    return _DATA / "ohlcv" / venue / f"{base}_USDT-{timeframe}.csv.gz"


@cache
def _series(base: str, quote: str, timeframe: str) -> Ohlcv:
    with gzip.open(_DATA / "ohlcv" / "binance" / f"{base}_{quote}-{timeframe}.csv.gz", "rt") as f:
        table = np.loadtxt(f, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return Ohlcv.from_rows(table)


def load_candles(
    symbol: str, timeframe: str, since_ms: int | None = None, until_ms: int | None = None
) -> Ohlcv:
    """Return the candles of `symbol` (``BTC/USDT``) opening in ``[since_ms, until_ms)``."""
    base, quote = symbol.split("/")
    bars = _series(base, quote, timeframe)
    lo = 0 if since_ms is None else int(np.searchsorted(bars.ts_open_ms, since_ms))
    hi = len(bars) if until_ms is None else int(np.searchsorted(bars.ts_open_ms, until_ms))
    return bars.window(lo, hi)


def use_recorded_data(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Make product code in this process read candles from here, into a store under `home`."""
    monkeypatch.setenv("NTX_DATA_DIR", str(_DATA))
    monkeypatch.setenv("NTX_HOME", str(home))


def news_file(name: str) -> Path:
    """Return the news file ``news/<name>.csv.gz``."""
    return _DATA / "news" / f"{name}.csv.gz"


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    files = json.loads((_DATA / "MANIFEST.json").read_text())["files"]
    return {entry["file"]: entry for entry in files}


def manifest_entry(path: Path) -> dict[str, Any]:
    """Return MANIFEST.json's entry of a fixture file: rows, start/end (ms), gaps, slices..."""
    return _manifest()[path.relative_to(_DATA).as_posix()]


def candle_entries(timeframe: str) -> dict[str, dict[str, Any]]:
    """Return the manifest's OHLCV entries of a timeframe, by file name."""
    return {
        name.rsplit("/", 1)[-1]: entry
        for name, entry in _manifest().items()
        if entry["kind"] == "ohlcv" and entry["timeframe"] == timeframe
    }
