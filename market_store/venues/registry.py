"""The explicit registry of venues, and `make_venue` for any other exchange ccxt knows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from market_store.venues.base import Venue, VenueFactory
from market_store.venues.binance import binance_venue
from market_store.venues.bybit import bybit_venue
from market_store.venues.ccxt_venue import CcxtVenue
from market_store.venues.okx import okx_venue
from venue_adapter.exchanges import exchange_ids

VENUES: dict[str, VenueFactory] = {
    "binance": binance_venue,
    "bybit": bybit_venue,
    "okx": okx_venue,
}
"""Venues with their own folder; add a new one here (see ``market_store/venues/_template``)."""


def make_venue(
    name: str,
    *,
    rest_url: str | None = None,
    ws_url: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Venue:
    """Return the venue called `name`: a registered one, else ccxt's exchange of that id.

    Parameters
    ----------
    name
        ``binance``, ``bybit``, ``okx``, or any ccxt exchange id (``kraken``, ``coinbase``...).
    rest_url, ws_url
        Base URLs replacing the venue's public REST / websocket hosts.
    options
        ccxt options merged over the venue's defaults.

    Raises
    ------
    UnknownVenueError
        Neither registered nor known to ccxt.
    ValueError
        A base URL is not an absolute URL of its kind.
    """
    factory = VENUES.get(name)
    if factory is not None:
        return factory(rest_url=rest_url, ws_url=ws_url, options=options)
    return CcxtVenue(name, rest_url=rest_url, ws_url=ws_url, options=options)


def venue_names() -> list[str]:
    """Return every name `make_venue` accepts: the registered venues first, then ccxt's."""
    return [*VENUES, *(name for name in exchange_ids() if name not in VENUES)]
