"""The one package that touches ccxt: errors, Retry-After, URLs, decimals and market filters.

market_store's venues (candles) and exec_core's broker (orders) both reach exchanges through
it, so a failure is classified the same way for both (see `venue_adapter.classify`).

Public API
----------
- Errors (`venue_adapter.errors`): `VenueError`; temporary `VenueUnavailableError`,
  `RateLimitedError`; operational `VenueRequestError`, `RegionRefusedError`,
  `UnknownVenueError`, `OrderNotFoundError`; invalid `MalformedPayloadError`.
- `classify(venue, what, error, status, headers)`, `retry_after_of(headers)`.
- Exchanges (`venue_adapter.exchanges`, imports ccxt): `open_exchange`, `exchange_config`,
  `call`, `exchange_ids`, `uses_tick_sizes`, `sync_exchange`.
- `rebase`, `rebase_urls`, `check_bases`: point an exchange at other hosts.
- `exact_decimal`, `decimal_or_zero`: exact Decimals from ccxt's numbers.
- `MarketFilters`: a market's tick, step and minimums, from a ccxt market.

This module imports neither ccxt nor the classifier (ccxt takes a second to import).
"""

from venue_adapter.decimals import decimal_or_zero, exact_decimal
from venue_adapter.errors import (
    MalformedPayloadError,
    OrderNotFoundError,
    RateLimitedError,
    RegionRefusedError,
    UnknownVenueError,
    VenueError,
    VenueRequestError,
    VenueUnavailableError,
)
from venue_adapter.filters import MarketFilters
from venue_adapter.urls import check_bases, rebase, rebase_urls

__all__ = [
    "MalformedPayloadError",
    "MarketFilters",
    "OrderNotFoundError",
    "RateLimitedError",
    "RegionRefusedError",
    "UnknownVenueError",
    "VenueError",
    "VenueRequestError",
    "VenueUnavailableError",
    "check_bases",
    "decimal_or_zero",
    "exact_decimal",
    "rebase",
    "rebase_urls",
]
