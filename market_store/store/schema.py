"""The SQLite schema of the candle store and the statements that read and write it."""

from __future__ import annotations

from pathlib import Path

from store_migrations import Migrations

MIGRATIONS = Migrations(
    Path(__file__).resolve().parent / "migrations",
    head="candles_0002",
    baseline="candles_0001",
    marker="markets",
)
"""The tables are made and changed by these Alembic revisions; the statements below use them.

``candles_0001`` is the schema released at 9ed69dc (``user_version`` 1); a file of that
release, or of the unreleased ``user_version`` 2 (which added ``imports``), is stamped there.
"""

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
)

IMPORT_MARK = "SELECT size, mtime_ns FROM imports WHERE path = ?"

MARK_IMPORTED = """
    INSERT INTO imports (path, size, mtime_ns) VALUES (?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns
"""

UPSERT = """
    INSERT INTO candles (market_id, ts_open_ms, open, high, low, close, volume)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (market_id, ts_open_ms) DO UPDATE SET
        open = excluded.open, high = excluded.high, low = excluded.low,
        close = excluded.close, volume = excluded.volume
    WHERE open IS NOT excluded.open OR high IS NOT excluded.high OR low IS NOT excluded.low
        OR close IS NOT excluded.close OR volume IS NOT excluded.volume
"""

SELECT_RANGE = """
    SELECT ts_open_ms, open, high, low, close, volume FROM candles
    WHERE market_id = ? AND ts_open_ms >= ? AND ts_open_ms < ?
    ORDER BY ts_open_ms {order} LIMIT ?
"""

SPAN = """
    SELECT m.id, m.venue, m.symbol, m.timeframe,
           MIN(c.ts_open_ms), MAX(c.ts_open_ms), COUNT(c.ts_open_ms)
    FROM markets AS m JOIN candles AS c ON c.market_id = m.id
    GROUP BY m.id ORDER BY m.venue, m.symbol, m.timeframe
"""

GAPS = """
    SELECT prev, ts FROM (
        SELECT ts_open_ms AS ts, LAG(ts_open_ms) OVER (ORDER BY ts_open_ms) AS prev
        FROM candles WHERE market_id = ?
    ) WHERE ts - prev > ?
"""

GAP_TOTALS = """
    SELECT COUNT(*), COALESCE(SUM((ts - prev - 1) / ?), 0) FROM (
        SELECT ts_open_ms AS ts, LAG(ts_open_ms) OVER (ORDER BY ts_open_ms) AS prev
        FROM candles WHERE market_id = ?
    ) WHERE ts - prev > ?
"""
