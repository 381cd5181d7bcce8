"""Venues by name: the registered three, any other ccxt exchange, and the errors for the rest."""

from __future__ import annotations

import pytest

from market_store.venues.base import UnknownVenueError
from market_store.venues.ccxt_venue import CcxtVenue, merge_options
from market_store.venues.registry import VENUES, make_venue, venue_names


@pytest.mark.parametrize("name", ["binance", "bybit", "okx", "kraken", "coinbase"])
async def test_any_ccxt_exchange_is_a_venue_by_name(name: str) -> None:
    venue = make_venue(name, rest_url="http://127.0.0.1:9")
    try:
        assert isinstance(venue, CcxtVenue)
        assert venue.name == name
    finally:
        await venue.close()


def test_the_registry_is_explicit_and_names_come_first() -> None:
    assert list(VENUES) == ["binance", "bybit", "okx"]
    names = venue_names()
    assert names[:3] == ["binance", "bybit", "okx"]
    assert "kraken" in names
    assert len(names) == len(set(names))


def test_unknown_names_and_bad_urls_are_refused() -> None:
    with pytest.raises(UnknownVenueError, match="no exchange 'nowhere'"):
        make_venue("nowhere")
    with pytest.raises(ValueError, match="rest_url must be an absolute"):
        make_venue("binance", rest_url="api.binance.com")


def test_options_merge_over_the_venue_defaults() -> None:
    defaults = {"defaultType": "spot", "fetchMarkets": {"types": ["spot"], "x": 1}}
    merged = merge_options(defaults, {"fetchMarkets": {"types": ["spot", "linear"]}, "y": 2})
    assert merged == {
        "defaultType": "spot",
        "fetchMarkets": {"types": ["spot", "linear"], "x": 1},
        "y": 2,
    }
