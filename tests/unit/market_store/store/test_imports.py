"""A recording is imported once while unchanged, again when it changes (old stores: test_legacy)."""

from __future__ import annotations

import os
from pathlib import Path

from market_store.imports import ensure_imported
from market_store.store import CandleStore
from tests.unit.market_store.store.slices import BTC_1H, real_lines, write_file

HOUR = 3_600_000


def test_an_unchanged_file_is_not_read_again_a_changed_one_is(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    lines = real_lines("BTC", "1h", 48)
    path = write_file(folder / "ohlcv", "BTC_USDT-1h.csv.gz", lines[:24])
    with CandleStore(tmp_path / "candles.sqlite") as store:
        first = ensure_imported(store, folder, BTC_1H, 0, None)
        assert first is not None
        assert first.written == 24
        # the range reaches before the file: still not read again while it is unchanged
        assert ensure_imported(store, folder, BTC_1H, 0, None) is None
        write_file(folder / "ohlcv", "BTC_USDT-1h.csv.gz", lines)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
        again = ensure_imported(store, folder, BTC_1H, 0, None)
        assert again is not None
        assert again.written == 24
        assert len(store.read(BTC_1H)) == 48
