"""Stable ids and dedup keys of real headlines."""

from __future__ import annotations

from data_core.news.identity import dedup_key, news_id, normalise_title, normalise_url
from tests.fixtures.news.feeds import headlines

URL = "https://cointelegraph.com/news/bitcoin-price-spikes-to-20k-as-whale-bought-btc-confirms-support"


def test_url_normalisation_drops_case_fragment_tracking_and_trailing_slash() -> None:
    noisy = "  HTTPS://CoinTelegraph.com/news/x/?utm_source=rss&id=7#comments "
    assert normalise_url(noisy) == "https://cointelegraph.com/news/x?id=7"


def test_title_normalisation_ignores_case_punctuation_and_accents() -> None:
    assert normalise_title("Bitcoin  Returns Above USD 20K, Ethereum Rallies!") == normalise_title(
        "bitcoin returns above usd 20k — ethereum rallies"
    )
    assert normalise_title("Café crypto") == "cafe crypto"


def test_url_wins_over_title_and_title_is_used_without_url() -> None:
    assert news_id("one title", URL) == news_id("another title", URL + "?utm_medium=feed")
    assert dedup_key("Some Headline", None) == "title:some headline"
    assert news_id("Some Headline!", "") == news_id("some headline", None)


def test_ids_are_stable_hex_of_fixed_length() -> None:
    assert news_id("x", URL) == "dbd41ccbc03efccfdb1e0893f0d72548"
    for row in headlines("reddit_posts", 0, 50):
        item_id = news_id(row["title"], row["url"] or None)
        assert len(item_id) == 32
        assert int(item_id, 16) >= 0
