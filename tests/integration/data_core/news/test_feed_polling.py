"""Poll real HTTP feeds on 127.0.0.1: ingestion, dedup across polls and restarts, ETag, faults."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from data_core.news import NewsSource
from tests.fixtures.news import feeds
from tests.fixtures.news.server import FeedServer, Route
from tests.integration.data_core.news.polling import Collected, make_poller

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel>'
    b"<title>&b;</title></channel></rss>"
)


def source(server: FeedServer, name: str, path: str, kind: str) -> NewsSource:
    return NewsSource.model_validate({"name": name, "url": server.url(path), "kind": kind})


def serve_three(server: FeedServer) -> list[NewsSource]:
    """Curated events (RSS), CryptoPanic (Atom, no links: title dedup), Reddit (JSON Feed)."""
    server.set("/rss", Route(feeds.rss(feeds.headlines("curated_events", 100, 10)), feeds.RSS_TYPE))
    server.set("/atom", Route(feeds.atom(feeds.headlines("cryptopanic", 0, 10)), feeds.ATOM_TYPE))
    server.set(
        "/json", Route(feeds.json_feed(feeds.headlines("reddit_posts", 0, 10)), feeds.JSON_TYPE)
    )
    return [
        source(server, "curated", "/rss", "rss"),
        source(server, "cryptopanic", "/atom", "atom"),
        source(server, "reddit", "/json", "json"),
    ]


async def test_rss_atom_and_json_feeds_become_news_items(
    server: FeedServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    sink = Collected()
    poller, seen = make_poller(serve_three(server), client, tmp_path / "news.sqlite", sink)
    with seen:
        results = await poller.poll_all()
    assert [(r.source, r.new_items, r.error) for r in results] == [
        ("curated", 10, None),
        ("cryptopanic", 10, None),
        ("reddit", 10, None),
    ]
    items = [news.item for news in sink.items]
    assert len({item.news_id for item in items}) == 30
    first = feeds.headlines("curated_events", 100, 1)[0]
    rss_item = next(item for item in items if item.url == first["url"])
    assert rss_item.title == first["title"]
    assert rss_item.source == "curated"
    assert rss_item.body is None  # the events have no summary
    assert int(rss_item.ts_event.timestamp() * 1000) == int(first["timestamp"])
    assert all(-1.0 <= (item.sentiment or 0.0) <= 1.0 for item in items)
    assert {item.sentiment_method for item in items} == {"vader"}
    assert any("BTC/USDT" in item.symbols for item in items)
    assert all(item.url is None for item in items if item.source == "cryptopanic")
    assert all(news.embedding is None for news in sink.items)


async def test_dedup_holds_across_polls_etag_and_a_restart(
    server: FeedServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    db = tmp_path / "news.sqlite"
    rows = feeds.headlines("reddit_posts", 20, 12)
    server.set("/rss", Route(feeds.rss(rows[:8]), feeds.RSS_TYPE))
    feed = [source(server, "reddit", "/rss", "rss")]
    sink = Collected()
    poller, seen = make_poller(feed, client, db, sink)
    with seen:
        first = await poller.poll(feed[0])
        again = await poller.poll(feed[0])
        server.set("/rss", Route(feeds.rss(rows[4:12]), feeds.RSS_TYPE))
        grown = await poller.poll(feed[0])
    assert (first.new_items, again.not_modified, again.new_items) == (8, True, 0)
    assert (grown.new_items, grown.duplicates) == (4, 4)
    hits = server.hits("/rss")
    assert hits[0].if_none_match is None
    assert hits[1].if_none_match is not None
    assert hits[1].if_modified_since == "Tue, 05 Jul 2022 04:24:00 GMT"
    assert hits[1].status == 304

    restarted_sink = Collected()
    poller, seen = make_poller(feed, client, db, restarted_sink)
    with seen:
        unchanged = await poller.poll(feed[0])
        server.set("/rss", Route(feeds.rss(list(reversed(rows))), feeds.RSS_TYPE))
        reordered = await poller.poll(feed[0])
    assert unchanged.not_modified, "the ETag stored before the restart was not sent"
    assert (reordered.new_items, reordered.duplicates) == (0, 12)
    assert restarted_sink.items == []
    assert [news.item.title for news in sink.items] == [row["title"] for row in rows]


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>cut', "rss", "bad_xml"),
        (BILLION_LAUGHS, "rss", "unsafe_xml"),
        (b"<html><body>moved</body></html>", "atom", "not_a_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "json", "bad_json"),
    ],
)
async def test_a_bad_feed_is_reported_and_the_others_keep_working(
    server: FeedServer,
    client: httpx.AsyncClient,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    kind: str,
    reason: str,
) -> None:
    sources = serve_three(server)
    server.set("/bad", Route(body, "application/xml"))
    bad = source(server, "broken", "/bad", kind)
    sink = Collected()
    poller, seen = make_poller([bad, *sources], client, tmp_path / "news.sqlite", sink)
    with seen, caplog.at_level(logging.WARNING, logger="data_core.news.poller"):
        results = await poller.poll_all()
        results += await poller.poll_all()
    assert [r.error for r in results if r.source == "broken"] == [reason, reason]
    assert poller.stats["broken"].errors[reason] == 2
    assert sum(r.new_items for r in results) == 30
    logged = [r for r in caplog.records if getattr(r, "source", None) == "broken"]
    assert [getattr(r, "reason", None) for r in logged] == [reason, reason]


async def test_http_errors_and_unreachable_hosts_are_reported(
    server: FeedServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    server.set("/down", Route(b"maintenance", "text/plain", status=503))
    feeds_ = [
        source(server, "down", "/down", "rss"),
        NewsSource.model_validate({"name": "gone", "url": "http://127.0.0.1:9/", "kind": "rss"}),
    ]
    poller, seen = make_poller(feeds_, client, tmp_path / "news.sqlite", Collected())
    with seen:
        results = await poller.poll_all()
    assert [r.error for r in results] == ["http_status", "network"]
