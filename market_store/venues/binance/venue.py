"""Binance spot through ccxt, loading only ``GET /api/v3/exchangeInfo`` for its markets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from market_store.venues.ccxt_venue import CcxtVenue, merge_options
from market_store.venues.policy import LivePolicy

PAGE_LIMIT = 1000
"""The most klines Binance spot returns per request."""

DEFAULT_OPTIONS: Mapping[str, Any] = {
    "defaultType": "spot",
    "fetchMarkets": {"types": ["spot"]},
    "fetchCurrencies": False,
    "fetchMargins": False,
}
"""Spot markets only, so ``load_markets`` calls exchangeInfo and nothing else."""


def check_klines(payload: object) -> str | None:
    """Tell what is wrong with a klines payload (a JSON array of arrays), or None."""
    if not isinstance(payload, list):
        return f"expected a JSON array of klines, got {type(payload).__name__}"
    return None


def binance_venue(
    *,
    rest_url: str | None = None,
    ws_url: str | None = None,
    options: Mapping[str, Any] | None = None,
    live: LivePolicy | None = None,
    rate_limit_ms: int | None = None,
) -> CcxtVenue:
    """Return Binance spot as a venue.

    Parameters
    ----------
    rest_url
        REST base (default ``https://api.binance.com``; e.g. ``https://api1.binance.com``).
    ws_url
        Websocket base (default ``wss://stream.binance.com:9443``).
    options
        ccxt options merged over `DEFAULT_OPTIONS`.
    live, rate_limit_ms
        See `CcxtVenue`.
    """
    return CcxtVenue(
        "binance",
        rest_url=rest_url,
        ws_url=ws_url,
        options=merge_options(DEFAULT_OPTIONS, options),
        page_limit=PAGE_LIMIT,
        payload_check=check_klines,
        live=live,
        rate_limit_ms=rate_limit_ms,
    )
