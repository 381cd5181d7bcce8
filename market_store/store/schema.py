"""The SQLite schema of the candle store and the statements that read and write it."""

from __future__ import annotations

SCHEMA_VERSION = 2
"""2 added ``imports``; a version-1 file gains the table on open, its candles untouched."""

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
)

CREATE = (
    """
    CREATE TABLE IF NOT EXISTS markets (
        id        INTEGER PRIMARY KEY,
        venue     TEXT NOT NULL,
        symbol    TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        UNIQUE (venue, symbol, timeframe)
    )
    """,
    # Prices and volumes are exact decimal text, written as the venue or file gave them.
    """
    CREATE TABLE IF NOT EXISTS candles (
        market_id  INTEGER NOT NULL REFERENCES markets (id),
        ts_open_ms INTEGER NOT NULL,
        open       TEXT NOT NULL,
        high       TEXT NOT NULL,
        low        TEXT NOT NULL,
        close      TEXT NOT NULL,
        volume     TEXT NOT NULL,
        PRIMARY KEY (market_id, ts_open_ms)
    ) WITHOUT ROWID
    """,
    # The candle files imported whole, so an unchanged file is not read again.
    """
    CREATE TABLE IF NOT EXISTS imports (
        path     TEXT PRIMARY KEY,
        size     INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL
    )
    """,
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
