"""An import killed with SIGKILL keeps every committed chunk whole, and the file stays usable."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from market_store.candles import MarketKey
from market_store.store import CandleStore, import_file
from tests.data_paths import candle_entries, candle_file

REPO = Path(__file__).resolve().parents[4]
CHUNK = 1_000  # the largest test file (BTC 1h) has 36 chunks: the kill lands long before the end
IMPORTER = f"""
import sys
from pathlib import Path
from market_store.store import CandleStore, importer

importer.CHUNK_ROWS = {CHUNK}
store = CandleStore(sys.argv[1])

def committed(path, read):
    print("committed", sum(c.rows for c in store.coverage()), flush=True)

importer.import_file(store, Path(sys.argv[2]), progress=committed)
print("finished", flush=True)
"""


def test_a_killed_import_loses_nothing_committed(tmp_path: Path) -> None:
    db, source = tmp_path / "candles.sqlite", candle_file("BTC", "1h")
    child = subprocess.Popen(  # noqa: S603 - our interpreter running our script
        [sys.executable, "-c", IMPORTER, str(db), str(source)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    reported = [int(next(child.stdout).split()[1]) for _ in range(3)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert reported == [CHUNK, 2 * CHUNK, 3 * CHUNK]

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with CandleStore(db) as store:
        (kept,) = store.coverage()
        assert kept.rows >= reported[-1]
        assert kept.rows % CHUNK == 0  # no chunk half written
        again = import_file(store, source)
        (coverage,) = store.coverage()
    rows = candle_entries("1h")["BTC_USDT-1h.csv.gz"]["rows"]
    assert (again.error, again.rows, coverage.rows) == (None, rows, rows)
    assert again.written == rows - kept.rows  # only what the kill lost is written again
    assert coverage.key == MarketKey("binance", "BTC/USDT", "1h")
