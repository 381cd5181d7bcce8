"""Symbol tagging of real headlines by name and ticker."""

from __future__ import annotations

import pytest

from feature_spec.tagging import SymbolTagger
from tests.fixtures.news.feeds import find_title

TAGGER = SymbolTagger()


@pytest.mark.parametrize(
    ("name", "title", "symbols"),
    [
        (
            "cryptopanic",
            "Bitcoin Jumps to Record Price as Ethereum Hits 3-Year High",
            ("BTC/USDT", "ETH/USDT"),
        ),
        (
            "cryptopanic",
            "Cardano founder Charles Hoskinson blasts Wyoming Token Commission boss over ADA and "
            "XRP exclusion",
            ("ADA/USDT", "XRP/USDT"),
        ),
        (
            "reddit_posts",
            "Bitcoin Reclaims $90K Ahead of Thanksgiving as Ethereum, XRP Bounce Back",
            ("BTC/USDT", "ETH/USDT", "XRP/USDT"),
        ),
        (
            "cryptopanic",
            "Solana overthrows Ethereum\u2019s 8-year reign as top ecosystem for new devs",
            ("ETH/USDT", "SOL/USDT"),
        ),
        ("cryptopanic", "Cardano Price To Hit $10 By End Of This Cycle?", ("ADA/USDT",)),
        (
            "cryptopanic",
            "Polkadot Crypto 2.0 in Q1 2025: What to Expect from Upgrade and Price Prediction",
            (),
        ),
    ],
)
def test_real_titles(name: str, title: str, symbols: tuple[str, ...]) -> None:
    row = find_title(name, title)
    assert TAGGER.tag(row["title"]) == symbols


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("SOL and ADA lead; $eth lags", ("ADA/USDT", "ETH/USDT", "SOL/USDT")),
        ("Ada Lovelace day under the sol", ()),
        ("Binance lists a new token", ()),
        ("Binance Coin and Litecoin's halving", ("BNB/USDT", "LTC/USDT")),
        ("Solana outage; wBTC bridges", ("SOL/USDT",)),
    ],
)
def test_ambiguous_words_need_upper_case_tickers(text: str, symbols: tuple[str, ...]) -> None:
    assert TAGGER.tag(text) == symbols


def test_body_counts_and_quote_is_configurable() -> None:
    assert SymbolTagger(quote="USDC").tag("Markets wobble", "Bitcoin fell 3%") == ("BTC/USDC",)
