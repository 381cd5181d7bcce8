"""Durable outbox (SQLite, WAL): every alert is written here before any send is tried.

One row per (alert id, channel, target); the primary key is the dedup key, so the same
alert offered twice (a replayed message, a restart) is stored and sent once. Rows move
``pending`` → ``delivered`` or ``failed``; a pending row carries when it may next be tried.
Commits survive a killed process (WAL with ``synchronous=NORMAL``); a power cut may lose
the last few commits. Rows are stored (committed) before any send; "delivered" marks are
batched: kept in memory, skipped by `Outbox.next_due`, and written in one transaction by
`Outbox.flush` (the send loop flushes before it idles, and every `FLUSH_AT` marks). A
process killed in between re-sends those alerts: delivery stays at least once, and the
alert id header lets receivers drop the repeat.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from store_migrations import Migrations, upgrade_sqlite

MIGRATIONS = Migrations(
    Path(__file__).resolve().parent / "outbox_migrations",
    head="outbox_0001",
    baseline="outbox_0001",
    marker="outbox",
)
"""The outbox's schema: Alembic revisions, the first one as released at 9ed69dc."""

FLUSH_AT = 64
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Row:
    """One pending delivery."""

    alert_id: str
    channel: str
    target: str
    source_topic: str
    body: str
    attempts: int
    created_at: float


class Outbox:
    """The outbox database.

    Parameters
    ----------
    path
        SQLite file (its folder is created); ``:memory:`` for tests.
    """

    def __init__(self, path: Path | str) -> None:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        upgrade_sqlite(self._db, MIGRATIONS)
        self._settled: dict[Key, int] = {}

    def add(self, row: Row) -> bool:
        """Store `row` unless its key is there already; return whether it was new."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO outbox (alert_id, channel, target, source_topic, body,"
            " created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row.alert_id,
                row.channel,
                row.target,
                row.source_topic,
                row.body,
                row.created_at,
                row.created_at,
            ),
        )
        return cursor.rowcount == 1

    def next_due(
        self, channel: str, target: str, now: float, skip: frozenset[str] | set[str] = frozenset()
    ) -> Row | None:
        """Return the oldest pending row of a channel due at `now` whose id is not in `skip`."""
        settled = {k[0] for k in self._settled if k[1] == channel and k[2] == target}
        skip = set(skip) | settled
        rows = self._db.execute(
            "SELECT alert_id, channel, target, source_topic, body, attempts, created_at"
            " FROM outbox WHERE channel = ? AND target = ? AND state = 'pending'"
            " AND next_at <= ? ORDER BY next_at, created_at LIMIT ?",
            (channel, target, now, len(skip) + 1),
        ).fetchall()
        return next((Row(*found) for found in rows if found[0] not in skip), None)

    def has(self, alert_id: str) -> bool:
        """Tell whether any row (any channel, any state) holds `alert_id`."""
        found = self._db.execute("SELECT 1 FROM outbox WHERE alert_id = ? LIMIT 1", (alert_id,))
        return found.fetchone() is not None

    def pending(self, channel: str, target: str) -> list[Row]:
        """Return every pending row of a channel (due or not), oldest first."""
        self.flush()
        rows = self._db.execute(
            "SELECT alert_id, channel, target, source_topic, body, attempts, created_at"
            " FROM outbox WHERE channel = ? AND target = ? AND state = 'pending'"
            " ORDER BY created_at",
            (channel, target),
        ).fetchall()
        return [Row(*found) for found in rows]

    def next_time(self, channel: str, target: str) -> float | None:
        """Return when the channel's next pending row becomes due (None: nothing pending)."""
        self.flush()
        found = self._db.execute(
            "SELECT MIN(next_at) FROM outbox WHERE channel = ? AND target = ?"
            " AND state = 'pending'",
            (channel, target),
        ).fetchone()
        return float(found[0]) if found and found[0] is not None else None

    def _finish(self, row: Row, state: str, attempts: int, error: str | None) -> None:
        self._db.execute(
            "UPDATE outbox SET state = ?, attempts = ?, last_error = ?"
            " WHERE alert_id = ? AND channel = ? AND target = ?",
            (state, attempts, error, row.alert_id, row.channel, row.target),
        )

    def delivered(self, row: Row, attempts: int) -> None:
        """Mark `row` delivered after `attempts` tries (written by the next `flush`)."""
        self._settled[(row.alert_id, row.channel, row.target)] = attempts
        if len(self._settled) >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Write the batched delivered marks in one transaction."""
        if not self._settled:
            return
        marks = [(a, *key) for key, a in self._settled.items()]
        self._settled.clear()
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE outbox SET state = 'delivered', attempts = ?, last_error = NULL"
                " WHERE alert_id = ? AND channel = ? AND target = ?",
                marks,
            )

    def failed(self, row: Row, attempts: int, error: str) -> None:
        """Mark `row` failed for good."""
        self._finish(row, "failed", attempts, error)

    def retry_at(self, row: Row, attempts: int, when: float, error: str) -> None:
        """Keep `row` pending; try again at `when`."""
        self._db.execute(
            "UPDATE outbox SET attempts = ?, next_at = ?, last_error = ?"
            " WHERE alert_id = ? AND channel = ? AND target = ?",
            (attempts, when, error, row.alert_id, row.channel, row.target),
        )

    def counts(self) -> dict[str, int]:
        """Return the number of rows per state."""
        self.flush()
        return dict(self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"))

    def close(self) -> None:
        """Write the batched marks, then close the database."""
        self.flush()
        self._db.close()
