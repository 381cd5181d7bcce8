"""SQLite store of published signals, with the input window kept for on-demand explanations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from signal_schema import Signal
from store_migrations import Migrations, upgrade_sqlite

F32 = npt.NDArray[np.float32]
MIGRATIONS = Migrations(
    Path(__file__).resolve().parent / "migrations",
    head="signals_0001",
    baseline="signals_0001",
    marker="signals",
)
"""The store's schema: Alembic revisions, the first one as released at 9ed69dc."""


@dataclass(frozen=True)
class StoredSignal:
    """A stored signal, its raw (pre-normalisation) additivity gap and its input window."""

    signal: Signal
    raw_gap: float | None
    window: F32 | None


class SignalStore:
    """Thread-safe SQLite store (one connection, WAL).

    Parameters
    ----------
    path
        Database file (``NTX_HOME/data/signals.sqlite`` in the service); ``:memory:`` in tests.
    """

    def __init__(self, path: Path | str) -> None:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        upgrade_sqlite(self._db, MIGRATIONS)
        self._lock = threading.Lock()

    def add(
        self,
        signals: Sequence[Signal],
        windows: F32 | None = None,
        raw_gaps: Sequence[float] | None = None,
    ) -> None:
        """Insert signals (same order as `windows` and `raw_gaps`); a repeated id replaces."""
        rows = []
        for i, s in enumerate(signals):
            w = None if windows is None else np.ascontiguousarray(windows[i], dtype=np.float32)
            rows.append(
                (
                    s.signal_id,
                    int(s.ts_event.timestamp() * 1000),
                    s.symbol,
                    s.model.name,
                    s.model.version,
                    None if raw_gaps is None else float(raw_gaps[i]),
                    s.model_dump_json(),
                    None if w is None else w.tobytes(),
                    None if w is None else w.shape[0],
                    None if w is None else w.shape[1],
                )
            )
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO signals VALUES (?,?,?,?,?,?,?,?,?,?)", rows
            )

    def get(self, signal_id: str) -> StoredSignal | None:
        """Return one signal by id, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT body, raw_gap, window, rows, cols FROM signals WHERE signal_id = ?",
                (signal_id,),
            ).fetchone()
        if row is None:
            return None
        body, raw_gap, blob, rows, cols = row
        window = None if blob is None else np.frombuffer(blob, np.float32).reshape(rows, cols)
        return StoredSignal(Signal.model_validate_json(body), raw_gap, window)

    def query(
        self,
        *,
        symbol: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int = 100,
    ) -> list[Signal]:
        """Return signals newest first, filtered by symbol and ``start_ms <= ts < end_ms``."""
        clauses: list[str] = []
        args: list[str | int] = []
        if symbol is not None:
            clauses.append("symbol = ?")
            args.append(symbol)
        if start_ms is not None:
            clauses.append("ts_ms >= ?")
            args.append(start_ms)
        if end_ms is not None:
            clauses.append("ts_ms < ?")
            args.append(end_ms)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT body FROM signals {where} ORDER BY ts_ms DESC, signal_id LIMIT ?"  # noqa: S608
        with self._lock:
            rows = self._db.execute(sql, (*args, limit)).fetchall()
        return [Signal.model_validate_json(r[0]) for r in rows]

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
