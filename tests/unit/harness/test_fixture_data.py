"""The committed data slices are what MANIFEST.json (written by cut.py) says they are."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json

import pytest

from tests.data_paths import data_dir

FILES = json.loads((data_dir() / "MANIFEST.json").read_text())["files"]
HEADERS = {
    "ohlcv": ["timestamp", "open", "high", "low", "close", "volume"],
    "news/cryptopanic.csv.gz": ["timestamp", "source", "title", "votes"],
    "news/reddit_posts.csv.gz": [
        "timestamp", "source", "title", "body", "url", "score", "num_comments", "submission_id",
    ],
    "news/curated_events.csv.gz": ["timestamp", "source", "title", "url"],
}  # fmt: skip


def test_the_set_is_small_and_every_file_is_listed() -> None:
    on_disk = {p.relative_to(data_dir()).as_posix() for p in data_dir().rglob("*.csv.gz")}
    assert on_disk == {entry["file"] for entry in FILES}
    assert sum((data_dir() / entry["file"]).stat().st_size for entry in FILES) <= 5_000_000
    assert not any("cryptonews_plus" in name for name in on_disk)  # its licence is unclear


@pytest.mark.parametrize("entry", FILES, ids=[entry["file"] for entry in FILES])
def test_each_file_matches_its_manifest_entry(entry: dict[str, object]) -> None:
    raw = (data_dir() / str(entry["file"])).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == entry["sha256"]
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0: a re-cut is byte-identical
    rows = list(csv.reader(gzip.decompress(raw).decode("utf-8").splitlines()))
    header, body = rows[0], rows[1:]
    assert header == HEADERS.get(str(entry["kind"]), HEADERS.get(str(entry["file"])))
    stamps = [int(row[0]) for row in body]
    assert (len(body), stamps[0], stamps[-1]) == (entry["rows"], entry["start"], entry["end"])
    assert stamps == sorted(stamps)
    slices = entry["slices"]
    assert isinstance(slices, list)
    assert sum(part["rows"] for part in slices) == entry["rows"]
    if entry["kind"] != "ohlcv":
        assert all(row[2] for row in body)  # every headline has a title
    if entry.get("blanked_column"):  # reddit self-text: user content, left out
        column = header.index(str(entry["blanked_column"]))
        assert all(row[column] == "" for row in body)
