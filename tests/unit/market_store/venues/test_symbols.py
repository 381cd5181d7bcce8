"""Symbols in every venue's style map to one unified symbol, and back to each venue's id."""

from __future__ import annotations

import pytest

from market_store.venues.symbols import SymbolMap, normalise_symbol


@pytest.mark.parametrize(
    ("raw", "unified"),
    [
        ("BTC/USDT", "BTC/USDT"),
        ("btc/usdt", "BTC/USDT"),
        ("BTCUSDT", "BTC/USDT"),
        ("btcusdt", "BTC/USDT"),
        ("BTC-USDT", "BTC/USDT"),
        ("btc_usdt", "BTC/USDT"),
        (" eth-btc ", "ETH/BTC"),
        ("ETHBTC", "ETH/BTC"),
        ("SOLFDUSD", "SOL/FDUSD"),
        ("BTCUSDC", "BTC/USDC"),
        ("1000PEPEUSDT", "1000PEPE/USDT"),
        ("BTC/USDT:USDT", "BTC/USDT:USDT"),
        ("XRP_EUR", "XRP/EUR"),
    ],
)
def test_symbols_normalise_to_the_unified_form(raw: str, unified: str) -> None:
    assert normalise_symbol(raw) == unified


@pytest.mark.parametrize("bad", ["", "BTC", "USDT", "BTC/USDT/ETH", "BTC USDT", "BTCXYZ"])
def test_unreadable_symbols_say_why(bad: str) -> None:
    with pytest.raises(ValueError, match=r"symbol|base from quote"):
        normalise_symbol(bad)


MARKETS = {
    "binance": {"BTC/USDT": {"id": "BTCUSDT"}, "ETH/BTC": {"id": "ETHBTC"}},
    "bybit": {"BTC/USDT": {"id": "BTCUSDT"}, "ETH/BTC": {"id": "ETHBTC"}},
    "okx": {"BTC/USDT": {"id": "BTC-USDT"}, "ETH/BTC": {"id": "ETH-BTC"}},
}


@pytest.mark.parametrize(
    ("venue", "raw", "venue_id"),
    [
        ("binance", "btc_usdt", "BTCUSDT"),
        ("binance", "BTC-USDT", "BTCUSDT"),
        ("binance", "ethbtc", "ETHBTC"),
        ("bybit", "BTC/USDT", "BTCUSDT"),
        ("okx", "BTCUSDT", "BTC-USDT"),
        ("okx", "btc_usdt", "BTC-USDT"),
        ("okx", "eth-btc", "ETH-BTC"),
    ],
)
def test_any_style_resolves_to_each_venue_id(venue: str, raw: str, venue_id: str) -> None:
    symbols = SymbolMap(MARKETS[venue])
    assert symbols.venue_id(raw) == venue_id
    assert symbols.unified(venue_id) == symbols.resolve(raw)


def test_an_unlisted_market_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        SymbolMap(MARKETS["okx"]).resolve("DOGE/USDT")
