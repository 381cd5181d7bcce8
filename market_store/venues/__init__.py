"""Venues: where candles come from (exchanges through ccxt, and replays of recorded files).

The protocol and errors are here; build venues with `market_store.venues.registry.make_venue`,
fill the store with `market_store.venues.backfill.backfill`. Those modules import ccxt, which
takes a second, so this package does not import them.
"""

from market_store.venues.base import (
    MalformedPayloadError,
    RateLimitedError,
    RegionRefusedError,
    UnknownVenueError,
    Venue,
    VenueError,
    VenueFactory,
    VenueRequestError,
    VenueUnavailableError,
)
from market_store.venues.policy import LivePolicy, RetryPolicy
from market_store.venues.symbols import SymbolMap, normalise_symbol

__all__ = [
    "LivePolicy",
    "MalformedPayloadError",
    "RateLimitedError",
    "RegionRefusedError",
    "RetryPolicy",
    "SymbolMap",
    "UnknownVenueError",
    "Venue",
    "VenueError",
    "VenueFactory",
    "VenueRequestError",
    "VenueUnavailableError",
    "normalise_symbol",
]
