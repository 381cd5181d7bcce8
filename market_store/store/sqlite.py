"""`CandleStore`: candles in one SQLite file (WAL), prices as exact decimal text."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from feature_spec import Ohlcv
from market_store.candles import Candle, MarketKey, candle_error, timeframe_ms
from market_store.store import schema
from market_store.store.coverage import Coverage, Gap
from market_store.store.rows import Row, candle_of, ohlcv_of, row_of
from store_migrations import upgrade_sqlite

_NO_END = 2**63 - 1
_ALL = -1


def _count(limit: int | None) -> int:
    if limit is not None and limit < 0:
        raise ValueError(f"a row count must be >= 0, got {limit}")
    return _ALL if limit is None else limit


class CandleStore:
    """Candles of every venue, symbol and timeframe in one SQLite database.

    The file is opened in WAL mode, so readers in other processes never block the writer and a
    killed writer loses only its open transaction. Every write is one transaction. The object
    may be shared between threads (calls are serialised by a lock).

    Parameters
    ----------
    path
        The database file; its folder is created when missing.
    timeout_secs
        How long a write waits for another process's write to finish.
    """

    def __init__(self, path: Path | str, *, timeout_secs: float = 30.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._markets: dict[MarketKey, int] = {}
        self._conn = sqlite3.connect(
            self.path, timeout=timeout_secs, isolation_level=None, check_same_thread=False
        )
        for pragma in schema.PRAGMAS:
            self._conn.execute(pragma)
        with self._lock:
            upgrade_sqlite(self._conn, schema.MIGRATIONS)

    def close(self) -> None:
        """Close the database; the object cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _market_id(self, key: MarketKey, *, create: bool) -> int | None:
        if key in self._markets:
            return self._markets[key]
        found = self._conn.execute(
            "SELECT id FROM markets WHERE venue = ? AND symbol = ? AND timeframe = ?",
            (key.venue, key.symbol, key.timeframe),
        ).fetchone()
        if found is None and create:
            timeframe_ms(key.timeframe)  # refuse a key whose timeframe is not one
            found = self._conn.execute(
                "INSERT INTO markets (venue, symbol, timeframe) VALUES (?, ?, ?) RETURNING id",
                (key.venue, key.symbol, key.timeframe),
            ).fetchone()
        if found is None:
            return None
        self._markets[key] = int(found[0])
        return self._markets[key]

    def upsert(self, key: MarketKey, candles: Iterable[Candle]) -> int:
        """Insert candles, or update the stored ones that differ; all or nothing.

        Returns
        -------
        int
            How many candles were new or changed (0 when all were stored already).

        Raises
        ------
        ValueError
            A candle is unsound (see `market_store.candles.candle_error`); nothing is written.
        """
        rows = []
        for candle in candles:
            problem = candle_error(candle)
            if problem is not None:
                raise ValueError(f"{key}: candle at {candle.ts_open_ms}: {problem}")
            rows.append(row_of(candle))
        return self.upsert_rows(key, rows)

    def upsert_rows(self, key: MarketKey, rows: Sequence[Row]) -> int:
        """Write rows already checked by the caller (the importer); see `upsert`."""
        if not rows:
            return 0
        with self._transaction() as conn:
            market_id = self._market_id(key, create=True)
            before = conn.total_changes
            conn.executemany(schema.UPSERT, [(market_id, *row) for row in rows])
            return conn.total_changes - before

    def imported_unchanged(self, path: Path) -> bool:
        """Tell whether `path` was imported whole and has not changed since (size and mtime)."""
        stat = path.stat()
        with self._lock:
            mark = self._conn.execute(schema.IMPORT_MARK, (str(path.resolve()),)).fetchone()
        return mark is not None and tuple(mark) == (stat.st_size, stat.st_mtime_ns)

    def mark_imported(self, path: Path) -> None:
        """Note that `path` was imported whole, as it stands now (see `imported_unchanged`)."""
        stat = path.stat()
        mark = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        with self._transaction() as conn:
            conn.execute(schema.MARK_IMPORTED, mark)

    def last_open_ms(self, key: MarketKey) -> int | None:
        """Return the open of the newest stored candle of ``key``, or None when it has none."""
        newest = self.read_rows(key, last=1)
        return newest[0][0] if newest else None

    def read_rows(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        last: int | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Return stored rows as text, oldest first; arguments as in `read`.

        ``limit`` keeps the oldest ``limit`` rows of the range (for paging); ``last`` the newest.
        """
        newest_first = last is not None
        count = _count(last if newest_first else limit)
        sql = schema.SELECT_RANGE.format(order="DESC" if newest_first else "ASC")
        with self._lock:
            market_id = self._market_id(key, create=False)
            if market_id is None:
                return []
            params = (market_id, start_ms or 0, _NO_END if end_ms is None else end_ms, count)
            rows: list[Row] = self._conn.execute(sql, params).fetchall()
        return rows[::-1] if newest_first else rows

    def iter_rows(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        page: int = 50_000,
    ) -> Iterator[list[Row]]:
        """Yield the rows of a range page by page, oldest first, to stream a long series."""
        start = start_ms or 0
        while rows := self.read_rows(key, start, end_ms, limit=page):
            yield rows
            start = rows[-1][0] + 1

    def read(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        last: int | None = None,
        limit: int | None = None,
    ) -> list[Candle]:
        """Return the stored candles of ``key`` opening in ``[start_ms, end_ms)``, oldest first.

        Parameters
        ----------
        key
            The series.
        start_ms, end_ms
            Open-time bounds in ms (start inclusive, end exclusive); None leaves a side open.
        last
            Return only the newest ``last`` candles of that range.
        limit
            Return only the oldest ``limit`` candles of that range (ignored with ``last``).
        """
        rows = self.read_rows(key, start_ms, end_ms, last=last, limit=limit)
        return [candle_of(row) for row in rows]

    def read_arrays(
        self,
        key: MarketKey,
        start_ms: int | None = None,
        end_ms: int | None = None,
        *,
        last: int | None = None,
        limit: int | None = None,
    ) -> Ohlcv:
        """Return the candles of `read` as float64 arrays for feature computation.

        Each decimal is converted with correct rounding, exactly as ``float(Decimal)`` does.
        """
        return ohlcv_of(self.read_rows(key, start_ms, end_ms, last=last, limit=limit))

    def keys(self) -> list[MarketKey]:
        """Return every key with at least one stored candle, sorted."""
        return [cov.key for cov in self.coverage()]

    def markets(self) -> list[MarketKey]:
        """Return every key the store has a market for (cheap: no row counts nor gaps)."""
        with self._lock:
            found = self._conn.execute("SELECT venue, symbol, timeframe FROM markets").fetchall()
        return sorted(MarketKey(venue, symbol, timeframe) for venue, symbol, timeframe in found)

    def coverage(self) -> list[Coverage]:
        """Return the first and last open, row count, gaps and missing candles of every key."""
        with self._lock:
            spans = self._conn.execute(schema.SPAN).fetchall()
            result = []
            for market_id, venue, symbol, timeframe, first, last, rows in spans:
                key = MarketKey(venue, symbol, timeframe)
                tf_ms = key.timeframe_ms
                gaps, missing = self._conn.execute(
                    schema.GAP_TOTALS, (tf_ms, market_id, tf_ms)
                ).fetchone()
                result.append(Coverage(key, first, last, rows, gaps, missing))
        return result

    def gaps(self, key: MarketKey) -> list[Gap]:
        """Return every hole in the stored series of ``key``, oldest first."""
        tf_ms = key.timeframe_ms
        with self._lock:
            market_id = self._market_id(key, create=False)
            if market_id is None:
                return []
            holes = self._conn.execute(schema.GAPS, (market_id, tf_ms)).fetchall()
        return [Gap(prev, nxt, tf_ms, (nxt - prev - 1) // tf_ms) for prev, nxt in holes]
