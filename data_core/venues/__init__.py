"""Venues: where candles come from (exchanges through ccxt, and replays of recorded files).

The protocol and errors are here; build venues with `data_core.venues.registry.make_venue`,
fill the store with `data_core.venues.backfill.backfill`. Those modules import ccxt, which
takes a second, so this package does not import them.
"""

from data_core.venues.base import (
    MalformedPayloadError,
    RateLimitedError,
    UnknownVenueError,
    Venue,
    VenueError,
    VenueFactory,
    VenueRequestError,
    VenueUnavailableError,
)
from data_core.venues.policy import LivePolicy, RetryPolicy
from data_core.venues.symbols import SymbolMap, normalise_symbol

__all__ = [
    "LivePolicy",
    "MalformedPayloadError",
    "RateLimitedError",
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
