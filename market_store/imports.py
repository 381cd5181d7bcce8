"""Fill the store from a recorded data folder (NTX_DATA_DIR) when it lacks a series' range."""

from __future__ import annotations

from pathlib import Path

from market_store.candles import MarketKey, grid
from market_store.store import CandleStore, FileReport, import_file
from market_store.store.csvfile import relative_path


def covers(store: CandleStore, key: MarketKey, since_ms: int | None, until_ms: int | None) -> bool:
    """Tell whether the stored series of ``key`` spans ``[since_ms, until_ms)``.

    Holes inside the span (real outages) do not count against it. With ``until_ms`` None the
    series only has to reach past ``since_ms``.
    """
    first = store.read_rows(key, limit=1)
    last = store.last_open_ms(key)
    if not first or last is None:
        return False
    if since_ms is not None and first_open_ms(key.timeframe, since_ms) < first[0][0]:
        return False
    if until_ms is None:
        return since_ms is None or last >= since_ms
    return last + key.timeframe_ms >= until_ms


def first_open_ms(timeframe: str, since_ms: int) -> int:
    """Return the open of the first candle of `timeframe` opening at or after `since_ms`."""
    step, offset = grid(timeframe)
    return since_ms + (-(since_ms - offset)) % step


def recorded_file(data_dir: Path, key: MarketKey) -> Path:
    """Return where a data folder keeps ``key``'s candles: ``ohlcv/<venue>/<BASE>_<QUOTE>-<tf>``."""
    return Path(data_dir) / relative_path(key)


def ensure_imported(
    store: CandleStore,
    data_dir: Path | None,
    key: MarketKey,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> FileReport | None:
    """Import ``key``'s file from a data folder when the store lacks ``[since_ms, until_ms)``.

    A file imported whole before and unchanged since is not read again, so a range the
    recording does not reach costs nothing after the first time.

    Parameters
    ----------
    store
        The store to fill.
    data_dir
        The data folder (NTX_DATA_DIR), holding ``ohlcv/<venue>/<BASE>_<QUOTE>-<tf>.csv.gz``;
        None when there is none.
    key
        The series.
    since_ms, until_ms
        The open-time range needed (start inclusive, end exclusive); None leaves a side open.

    Returns
    -------
    FileReport | None
        What the import did, or None when nothing was imported (the store covers the range,
        the file is imported already, or there is no such file).
    """
    if data_dir is None or covers(store, key, since_ms, until_ms):
        return None
    path = recorded_file(data_dir, key)
    if not path.is_file() or store.imported_unchanged(path):
        return None
    report = import_file(store, path)
    if report.error is None:
        store.mark_imported(path)
    return report
