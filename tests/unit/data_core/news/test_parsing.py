"""RSS, Atom and JSON Feed parsing of real headlines; malformed and unsafe input refused."""

from __future__ import annotations

import pytest

from data_core.errors import FeedError
from data_core.news.parse_json import parse_json_feed
from data_core.news.parse_xml import parse_xml_feed
from tests.fixtures.news import feeds

FETCHED_MS = 1_700_000_000_000


def test_rss_items_keep_title_link_and_time() -> None:
    rows = feeds.headlines("curated_events", 100, 5)  # no summary: the items have no body
    entries = parse_xml_feed(feeds.rss(rows), "ce", FETCHED_MS, feeds.RSS_TYPE)
    assert [e.title for e in entries] == [r["title"] for r in rows]
    assert [e.url for e in entries] == [r["url"] for r in rows]
    assert [e.published_ms for e in entries] == [int(r["timestamp"]) for r in rows]
    assert all(e.body is None and e.source == "ce" for e in entries)


def test_atom_entries_without_links_have_no_url() -> None:
    rows = feeds.headlines("cryptopanic", 10, 4)
    entries = parse_xml_feed(feeds.atom(rows), "cp", FETCHED_MS)
    assert [(e.title, e.url) for e in entries] == [(r["title"], None) for r in rows]
    assert [e.published_ms for e in entries] == [int(r["timestamp"]) for r in rows]


def test_json_feed_items() -> None:
    rows = feeds.headlines("reddit_posts", 0, 6)
    entries = parse_json_feed(feeds.json_feed(rows), "rd", FETCHED_MS)
    assert [e.title for e in entries] == [r["title"] for r in rows]
    assert [e.published_ms for e in entries] == [int(r["timestamp"]) for r in rows]
    assert entries[0].url == rows[0]["url"]


def test_html_is_stripped_and_missing_dates_take_the_fetch_time() -> None:
    doc = (
        b'<rss version="2.0"><channel><title>t</title><item><title>Bitcoin &amp; friends</title>'
        b"<description>&lt;p&gt;Bitcoin &lt;b&gt;rose&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;"
        b"&lt;/p&gt;</description></item><item><description>no title</description></item>"
        b"</channel></rss>"
    )
    [entry] = parse_xml_feed(doc, "s", FETCHED_MS)
    assert (entry.title, entry.body, entry.published_ms) == (
        "Bitcoin & friends",
        "Bitcoin rose",
        FETCHED_MS,
    )


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (b"<rss><channel><title>open", "bad_xml"),
        (b"", "bad_xml"),
        (b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss>&e;</rss>', "unsafe_xml"),
        (b'<!DOCTYPE r [<!ENTITY a "x">]><rss>&a;</rss>', "unsafe_xml"),
        (b"<html><head/></html>", "not_a_feed"),
    ],
)
def test_bad_xml_raises_feed_error(doc: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_xml_feed(doc, "s", FETCHED_MS)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "doc",
    [
        b"{not json",
        b"[]",
        b'{"version": "1", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1.1"}',
    ],
)
def test_bad_json_raises_feed_error(doc: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_json_feed(doc, "s", FETCHED_MS)
    assert caught.value.reason == "bad_json"
