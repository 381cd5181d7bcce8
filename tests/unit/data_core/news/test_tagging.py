"""Symbol tagging of real headlines by name and ticker."""

from __future__ import annotations

import pytest

from data_core.news.tagging import SymbolTagger
from tests.fixtures.news.feeds import find_title

TAGGER = SymbolTagger()


@pytest.mark.parametrize(
    ("title", "symbols"),
    [
        (
            "Bitcoin Returns Above USD 20K, Ethereum Rallies, CEL Keeps Outperforming",
            ("BTC/USDT", "ETH/USDT"),
        ),
        (
            "Ripple Wins Right to Access SEC's 2018 Ethereum Emails as XRP Case Rumbles on",
            ("ETH/USDT", "XRP/USDT"),
        ),
        ("Bitcoin and Ethereum Move Higher, BNB Rallies", ("BNB/USDT", "BTC/USDT", "ETH/USDT")),
        (
            "Cardano network at record capacity due to SundaeSwap launch, but not all users "
            "hail it as a success",
            ("ADA/USDT",),
        ),
        ("Celo to Be Fastest EVM Chain by End of 2022, Co-Founder Says", ()),
    ],
)
def test_real_cryptonews_titles(title: str, symbols: tuple[str, ...]) -> None:
    row = find_title("cryptonews_plus", title)
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
