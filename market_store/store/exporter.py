"""Write stored series back out in the shared candle file format."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable
from pathlib import Path

from market_store.candles import MarketKey
from market_store.store.csvfile import HEADER, format_row, relative_path
from market_store.store.sqlite import CandleStore


def export_key(
    store: CandleStore,
    key: MarketKey,
    folder: Path,
    start_ms: int | None = None,
    end_ms: int | None = None,
) -> tuple[Path, int]:
    """Write one series to ``<folder>/ohlcv/<venue>/<BASE>_<QUOTE>-<tf>.csv.gz``.

    The rows are written exactly as stored, so a file imported and exported again has
    byte-identical rows. The file is written beside its destination and renamed over it, so a
    reader never sees half of it; the gzip header carries no time stamp, so equal rows give
    equal files.

    Parameters
    ----------
    store
        Where the series is read from.
    key
        The series.
    folder
        The data folder (e.g. NTX_DATA_DIR); sub-folders are created.
    start_ms, end_ms
        Open-time bounds in ms (start inclusive, end exclusive).

    Returns
    -------
    tuple[Path, int]
        The file written and its number of rows.
    """
    target = Path(folder) / relative_path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    rows = 0
    try:
        with (
            partial.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
            io.TextIOWrapper(packed, encoding="utf-8", newline="") as text,
        ):
            text.write(",".join(HEADER) + "\n")
            for page in store.iter_rows(key, start_ms, end_ms):
                text.writelines(format_row(row) for row in page)
                rows += len(page)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target, rows


def export_path(
    store: CandleStore, folder: Path, keys: Iterable[MarketKey] | None = None
) -> list[tuple[Path, int]]:
    """Export several series (every stored one by default) into a data folder; see `export_key`."""
    chosen = store.keys() if keys is None else list(keys)
    return [export_key(store, key, folder) for key in chosen]
