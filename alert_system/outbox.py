"""Durable outbox (SQLite, WAL): every alert is written here before any send is tried.

One row per (alert id, channel, target); the primary key is the dedup key, so the same
alert offered twice (a replayed message, a restart) is stored and sent once. Rows move
``pending`` → ``delivered`` or ``failed``; a pending row carries when it may next be tried.
Commits survive a killed process (WAL with ``synchronous=NORMAL``); a power cut may lose
the last few commits.

Each attempt is two commits: `Outbox.start` records that it began (``attempt_started_at``,
committed) before the send; its outcome (`delivered`, `retry_at`, `failed`) is
written in one transaction that also ends the attempt. So a delivered row is never sent
again, and a row whose attempt has no outcome was in flight when the process died: the next
open counts it ``in_doubt`` and makes it due again. Only those are resent after a crash: at
most a channel's concurrency (one for a channel without an idempotency key, such as
Telegram; the webhook's alert id header lets receivers drop the repeat).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from store_migrations import Migrations, upgrade_sqlite

MIGRATIONS = Migrations(
    Path(__file__).resolve().parent / "outbox_migrations",
    head="outbox_0002",
    baseline="outbox_0001",
    marker="outbox",
)
"""The outbox's schema: Alembic revisions, the first one as released at 9ed69dc."""


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
        self.recovered = self._recover()
        """Rows whose attempt was in flight when the last process died (sent again)."""

    def _recover(self) -> list[Row]:
        """Make every attempt left without an outcome due again, counted in ``in_doubt``."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            rows = self._db.execute(
                "SELECT alert_id, channel, target, source_topic, body, attempts, created_at"
                " FROM outbox WHERE state = 'pending' AND attempt_started_at IS NOT NULL"
                " ORDER BY created_at"
            ).fetchall()
            self._db.execute(
                "UPDATE outbox SET in_doubt = in_doubt + 1, next_at = attempt_started_at,"
                " attempt_started_at = NULL, last_error = 'in doubt: the process ended mid-send'"
                " WHERE state = 'pending' AND attempt_started_at IS NOT NULL"
            )
        return [Row(*found) for found in rows]

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
        """Return the oldest pending row of a channel due at `now`, not in flight nor in `skip`."""
        rows = self._db.execute(
            "SELECT alert_id, channel, target, source_topic, body, attempts, created_at"
            " FROM outbox WHERE channel = ? AND target = ? AND state = 'pending'"
            " AND next_at <= ? AND attempt_started_at IS NULL"
            " ORDER BY next_at, created_at LIMIT ?",
            (channel, target, now, len(skip) + 1),
        ).fetchall()
        return next((Row(*found) for found in rows if found[0] not in skip), None)

    def has(self, alert_id: str) -> bool:
        """Tell whether any row (any channel, any state) holds `alert_id`."""
        found = self._db.execute("SELECT 1 FROM outbox WHERE alert_id = ? LIMIT 1", (alert_id,))
        return found.fetchone() is not None

    def pending(self, channel: str, target: str) -> list[Row]:
        """Return every pending row of a channel (due or not), oldest first."""
        rows = self._db.execute(
            "SELECT alert_id, channel, target, source_topic, body, attempts, created_at"
            " FROM outbox WHERE channel = ? AND target = ? AND state = 'pending'"
            " ORDER BY created_at",
            (channel, target),
        ).fetchall()
        return [Row(*found) for found in rows]

    def next_time(self, channel: str, target: str) -> float | None:
        """Return when the channel's next idle pending row is due (None: nothing pending)."""
        found = self._db.execute(
            "SELECT MIN(next_at) FROM outbox WHERE channel = ? AND target = ?"
            " AND state = 'pending' AND attempt_started_at IS NULL",
            (channel, target),
        ).fetchone()
        return float(found[0]) if found and found[0] is not None else None

    def start(self, row: Row, now: float) -> None:
        """Record that an attempt at `row` begins at `now` (committed before the send)."""
        self._db.execute(
            "UPDATE outbox SET attempt_started_at = ?"
            " WHERE alert_id = ? AND channel = ? AND target = ? AND state = 'pending'",
            (now, row.alert_id, row.channel, row.target),
        )

    def _outcome(self, row: Row, sql: str, values: tuple[object, ...]) -> None:
        """Record an attempt's outcome and end the attempt, in one transaction."""
        self._db.execute(
            f"UPDATE outbox SET {sql}, attempt_started_at = NULL"  # noqa: S608 - our own SQL
            " WHERE alert_id = ? AND channel = ? AND target = ?",
            (*values, row.alert_id, row.channel, row.target),
        )

    def delivered(self, row: Row, attempts: int, now: float | None = None) -> None:
        """Mark `row` delivered after `attempts` tries, at `now` (default: its creation)."""
        when = row.created_at if now is None else now
        self._outcome(
            row,
            "state = 'delivered', attempts = ?, last_error = NULL, delivered_at = ?",
            (attempts, when),
        )

    def failed(self, row: Row, attempts: int, error: str) -> None:
        """Mark `row` failed for good."""
        self._outcome(row, "state = 'failed', attempts = ?, last_error = ?", (attempts, error))

    def retry_at(self, row: Row, attempts: int, when: float, error: str) -> None:
        """Keep `row` pending; try again at `when`."""
        self._outcome(row, "attempts = ?, next_at = ?, last_error = ?", (attempts, when, error))

    def in_doubt(self) -> int:
        """Return how many attempts ended without an outcome (a process died mid-send)."""
        found = self._db.execute("SELECT COALESCE(SUM(in_doubt), 0) FROM outbox").fetchone()
        return int(found[0])

    def counts(self) -> dict[str, int]:
        """Return the number of rows per state."""
        return dict(self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"))

    def close(self) -> None:
        """Close the database (every outcome is committed already)."""
        self._db.close()
