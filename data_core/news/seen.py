"""What has already been published, and each feed's validators, in a small SQLite file.

Dedup survives restarts: an item whose `news_id` is here is never published again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

from data_core.news.fetch import Validators

_SCHEMA = """
CREATE TABLE IF NOT EXISTS news_seen (
    news_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    published_ms INTEGER NOT NULL,
    seen_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS news_seen_by_seen_ms ON news_seen (seen_ms);
CREATE TABLE IF NOT EXISTS news_feed_state (
    source TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    updated_ms INTEGER NOT NULL
);
"""


class SeenStore:
    """Persistent dedup set of news ids plus per-source ETag / Last-Modified.

    Parameters
    ----------
    path
        SQLite file (created with its folder); ``":memory:"`` for a throwaway store.
    """

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def unseen(self, news_ids: Iterable[str]) -> set[str]:
        """Return those of `news_ids` not recorded yet."""
        wanted = set(news_ids)
        if not wanted:
            return set()
        rows = self._db.execute(
            f"SELECT news_id FROM news_seen WHERE news_id IN ({','.join('?' * len(wanted))})",  # noqa: S608
            tuple(wanted),
        )
        return wanted - {row[0] for row in rows}

    def mark(self, items: Iterable[tuple[str, str, int]], seen_ms: int) -> int:
        """Record ``(news_id, source, published_ms)`` triples; return how many were new."""
        rows = [(news_id, source, published, seen_ms) for news_id, source, published in items]
        with self._db:
            self._db.execute("BEGIN")
            before = self._db.total_changes
            self._db.executemany("INSERT OR IGNORE INTO news_seen VALUES (?, ?, ?, ?)", rows)
            return self._db.total_changes - before

    def count(self) -> int:
        """Return how many ids are recorded."""
        return int(self._db.execute("SELECT COUNT(*) FROM news_seen").fetchone()[0])

    def prune(self, seen_before_ms: int) -> int:
        """Forget ids first seen before `seen_before_ms`; return how many were dropped."""
        with self._db:
            cursor = self._db.execute("DELETE FROM news_seen WHERE seen_ms < ?", (seen_before_ms,))
            return cursor.rowcount

    def validators(self, source: str) -> Validators:
        """Return the ETag / Last-Modified stored for `source` (empty when none)."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM news_feed_state WHERE source = ?", (source,)
        ).fetchone()
        return Validators() if row is None else Validators(row[0], row[1])

    def save_validators(self, source: str, validators: Validators, now_ms: int) -> None:
        """Store the validators to send with `source`'s next fetch."""
        self._db.execute(
            "INSERT INTO news_feed_state VALUES (?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified, "
            "updated_ms = excluded.updated_ms",
            (source, validators.etag, validators.last_modified, now_ms),
        )
