"""Where the replay's candles come from: the store, filled from NTX_DATA_DIR when it lacks them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from market_store.candles import MarketKey
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
    if since_ms is not None and since_ms < first[0][0]:
        return False
    if until_ms is None:
        return since_ms is None or last >= since_ms
    return last + key.timeframe_ms >= until_ms


def ensure_imported(
    store: CandleStore,
    data_dir: Path | None,
    key: MarketKey,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> FileReport | None:
    """Import ``key``'s file from a data folder when the store lacks ``[since_ms, until_ms)``.

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
        or there is no such file).
    """
    if covers(store, key, since_ms, until_ms) or data_dir is None:
        return None
    path = Path(data_dir) / relative_path(key)
    if not path.is_file():
        return None
    return import_file(store, path)


def recent_start_ms(store: CandleStore, keys: Iterable[MarketKey], bars: int) -> int:
    """Return a start time that leaves the most recent ``bars`` candles to replay.

    With several keys, the window ends at the latest close among them, so a series that ends
    earlier contributes only what it has in that window.

    Raises
    ------
    LookupError
        No key has a stored candle.
    """
    if bars < 1:
        raise ValueError(f"bars must be >= 1, got {bars}")
    starts = []
    for key in keys:
        last = store.last_open_ms(key)
        if last is not None:
            starts.append(last + key.timeframe_ms - bars * key.timeframe_ms)
    if not starts:
        raise LookupError("no stored candles for any of the keys to replay")
    return max(starts)
