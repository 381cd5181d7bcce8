"""Replay recorded headlines (``NTX_DATA_DIR/news/*.csv.gz``) in publication order.

Files have a ``timestamp`` column (UTC epoch milliseconds of publication), ``source`` and
``title``, and optionally ``body`` and ``url``. The replay is pull-based and clock-agnostic:
whoever advances the simulated clock (the candle replay) asks for what has become due, so news
and bars interleave exactly by time and nothing waits on the wall clock.
"""

from __future__ import annotations

import csv
import gzip
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from data_core.news.entries import Clock, RawEntry
from data_core.news.identity import news_id
from data_core.news.text import BODY_MAX_CHARS, TITLE_MAX_CHARS, plain_text

logger = logging.getLogger(__name__)

DEFAULT_REPLAY_FILES = ("cryptonews_plus", "cryptopanic", "reddit_posts")
"""Replayed unless told otherwise. ``curated_events`` is left out: its rows are dated only (00:00
UTC of the day), so an event would count for bars that closed before it happened."""


def read_news_file(path: Path) -> Iterator[RawEntry]:
    """Yield the rows of one ``.csv.gz`` news file as entries, in file order.

    Rows without a title or with an unreadable timestamp are skipped and logged.
    """
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            title = plain_text(row.get("title"), TITLE_MAX_CHARS)
            try:
                published_ms = int(row.get("timestamp") or "")
            except ValueError:
                title = None
            if title is None:
                logger.warning("news row skipped", extra={"file": path.name, "line": line})
                continue
            yield RawEntry(
                source=(row.get("source") or path.name.split(".")[0]).strip(),
                title=title,
                body=plain_text(row.get("body"), BODY_MAX_CHARS),
                url=(row.get("url") or "").strip() or None,
                published_ms=published_ms,
            )


class NewsReplay:
    """Release entries once the clock has reached their publication time.

    Parameters
    ----------
    entries
        Any order; they are sorted stably by publication time. Repeats of an id already
        released (same URL, or same title without URL) are dropped and counted.
    """

    def __init__(self, entries: Iterable[RawEntry]) -> None:
        self._entries = sorted(entries, key=lambda entry: entry.published_ms)
        self._next = 0
        self._released: set[str] = set()
        self.duplicates = 0

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> NewsReplay:
        """Build a replay merging the given ``.csv.gz`` files (ties keep file order)."""
        return cls(entry for path in sorted(paths) for entry in read_news_file(path))

    @classmethod
    def from_data_dir(
        cls, data_dir: Path, names: Sequence[str] | None = DEFAULT_REPLAY_FILES
    ) -> NewsReplay:
        """Build a replay of the named ``<data_dir>/news/<name>.csv.gz`` files (None: all)."""
        paths = sorted((data_dir / "news").glob("*.csv.gz"))
        if names is not None:
            paths = [p for p in paths if p.name.removesuffix(".csv.gz") in set(names)]
        if not paths:
            raise FileNotFoundError(f"no news files under {data_dir / 'news'}")
        return cls.from_files(paths)

    @property
    def remaining(self) -> int:
        """How many entries are still to come."""
        return len(self._entries) - self._next

    @property
    def next_ms(self) -> int | None:
        """Publication time of the next entry, or None when the replay is over."""
        return self._entries[self._next].published_ms if self.remaining else None

    def due(self, now_ms: int) -> list[RawEntry]:
        """Release, oldest first, every entry published at or before `now_ms` not yet released."""
        out: list[RawEntry] = []
        while self._next < len(self._entries):
            entry = self._entries[self._next]
            if entry.published_ms > now_ms:
                break
            self._next += 1
            item_id = news_id(entry.title, entry.url)
            if item_id in self._released:
                self.duplicates += 1
                continue
            self._released.add(item_id)
            out.append(entry)
        return out

    def release(self, clock: Clock) -> list[RawEntry]:
        """Release what is due at ``clock.now_ms()``."""
        return self.due(clock.now_ms())

    def skip_until(self, start_ms: int) -> int:
        """Drop, without releasing, entries published before `start_ms`; return how many."""
        skipped = 0
        while self._next < len(self._entries) and self._entries[self._next].published_ms < start_ms:
            self._next += 1
            skipped += 1
        return skipped
