"""VADER on real headlines, the method registry, and the enricher."""

from __future__ import annotations

import pytest

from data_core.news.enrich import NewsEnricher
from data_core.news.entries import RawEntry
from data_core.news.identity import news_id
from data_core.news.sentiment import SENTIMENT_METHODS, build_sentiment
from data_core.news.sentiment.vader import VaderSentiment, join_title_body
from tests.fixtures.news.feeds import find_title
from tests.fixtures.news.headlines import HACK, NEGATIVE, POSITIVE


def test_vader_signs_on_real_headlines() -> None:
    vader = VaderSentiment()
    positive = vader.score([find_title("cryptopanic", t)["title"] for t in POSITIVE])
    negative = vader.score([find_title("cryptopanic", t)["title"] for t in NEGATIVE])
    assert all(0.4 < s <= 1.0 for s in positive), positive
    assert all(-1.0 <= s < -0.4 for s in negative), negative


def test_vader_reads_title_and_body() -> None:
    assert join_title_body("Bitcoin rises", "It gained 3%.") == "Bitcoin rises. It gained 3%."
    assert join_title_body("Up?", None) == "Up?"
    vader = VaderSentiment()
    [neutral_title] = vader.score_items(["Bitcoin at 20K"], [None], None)
    [with_body] = vader.score_items(["Bitcoin at 20K"], ["A terrible, awful crash."], None)
    assert neutral_title == 0.0
    assert with_body < 0


def test_registry() -> None:
    assert set(SENTIMENT_METHODS) == {"vader", "minilm_lr"}
    assert build_sentiment("vader").name == "vader"
    with pytest.raises(ValueError, match="unknown sentiment method"):
        build_sentiment("finbert")
    with pytest.raises(ValueError, match="needs the embedder"):
        build_sentiment("minilm_lr", None)


def test_enricher_builds_valid_items_and_drops_invalid_ones() -> None:
    row = find_title("reddit_posts", HACK)
    good = RawEntry("reddit", row["title"], row["body"] or None, row["url"], int(row["timestamp"]))
    bad = RawEntry("x" * 300, "Bitcoin", None, None, 0)
    enricher = NewsEnricher(build_sentiment("vader"))
    [news] = enricher.enrich([good, bad], now_ms=int(row["timestamp"]) + 5_000)
    item = news.item
    assert item.news_id == news_id(row["title"], row["url"])
    assert (item.title, item.url, item.sentiment_method) == (row["title"], row["url"], "vader")
    assert item.sentiment is not None
    assert item.sentiment < 0
    assert item.symbols == ("BTC/USDT",)
    assert (item.ts_init - item.ts_event).total_seconds() == 5.0
    assert news.embedding is None
    assert enricher.invalid == 1
    assert enricher.enrich([], now_ms=0) == []
