"""Replay of the real news files in publication order under a simulated clock."""

from __future__ import annotations

import gzip
from pathlib import Path

from data_core.clock import SimClock
from data_core.news.entries import RawEntry
from data_core.news.replay import NewsReplay, read_news_file
from tests.data_paths import data_dir, manifest_entry, news_file


def rows(name: str) -> int:
    """Return how many headlines the test data's ``news/<name>.csv.gz`` holds."""
    count: int = manifest_entry(news_file(name))["rows"]
    return count


def test_all_files_replay_in_publication_order() -> None:
    replay = NewsReplay.from_data_dir(data_dir(), names=None)
    total = replay.remaining
    released = replay.due(2**62)
    assert total == len(released) + replay.duplicates
    assert total == rows("cryptopanic") + rows("reddit_posts") + rows("curated_events")
    times = [entry.published_ms for entry in released]
    assert times == sorted(times)
    sources = {entry.source for entry in released}
    assert sources >= {"cointelegraph.com", "reddit/r/CryptoCurrency", "happybitcoinpizzaday.com"}
    assert replay.remaining == 0
    assert replay.next_ms is None


def test_date_only_events_are_not_replayed_by_default() -> None:
    replay = NewsReplay.from_data_dir(data_dir())
    released = replay.due(2**62)
    assert len(released) == rows("cryptopanic") + rows("reddit_posts")  # not curated_events
    assert replay.duplicates == 0


def test_only_items_published_by_now_are_released() -> None:
    replay = NewsReplay.from_data_dir(data_dir(), names=["cryptopanic"])
    start = replay.next_ms
    assert start is not None
    assert start == manifest_entry(news_file("cryptopanic"))["start"]
    assert replay.due(start - 1) == []
    first = replay.due(start)
    assert [e.published_ms for e in first] == [start]
    week = replay.due(start + 7 * 86_400_000)
    assert week
    assert all(start < e.published_ms <= start + 7 * 86_400_000 for e in week)
    assert replay.next_ms is not None
    assert replay.next_ms > start + 7 * 86_400_000


async def test_a_sim_clock_drives_the_replay() -> None:
    replay = NewsReplay.from_data_dir(data_dir(), names=["cryptopanic"])
    start = replay.next_ms
    assert start is not None
    clock = SimClock(start - 3_600_000)
    batches: list[list[RawEntry]] = []
    with clock.join() as participant:
        for hour in range(1, 25):
            await participant.sleep_until(start - 3_600_000 + hour * 3_600_000)
            batches.append(replay.release(clock))
    released = [entry for batch in batches for entry in batch]
    assert released
    assert all(e.published_ms <= start + 23 * 3_600_000 for e in released)
    assert len(released) + replay.remaining == rows("cryptopanic")


def test_skip_until_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv.gz"
    lines = [
        "timestamp,source,title,url",
        "3000,a,Third,https://x/3",
        "1000,a,First,https://x/1",
        "2000,b,Again first,https://x/1",
        "2500,b,,https://x/empty-title",
        "oops,b,Bad time,https://x/bad",
    ]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    assert [e.title for e in read_news_file(path)] == ["Third", "First", "Again first"]
    replay = NewsReplay.from_files([path])
    assert [e.title for e in replay.due(2_000)] == ["First"]
    assert replay.duplicates == 1
    replay = NewsReplay.from_files([path])
    assert replay.skip_until(2_500) == 2
    assert [e.title for e in replay.due(5_000)] == ["Third"]
