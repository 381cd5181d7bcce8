"""Bybit v5 spot through ccxt, loading only ``GET /v5/market/instruments-info?category=spot``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from market_store.venues.ccxt_venue import CcxtVenue, merge_options
from market_store.venues.policy import LivePolicy

PAGE_LIMIT = 1000
"""The most klines Bybit returns per request."""

DEFAULT_OPTIONS: Mapping[str, Any] = {
    "defaultType": "spot",
    "fetchMarkets": {"types": ["spot"]},
}
"""Spot markets only (no derivatives or option instruments are listed)."""


def check_kline(payload: object) -> str | None:
    """Tell what is wrong with a ``/v5/market/kline`` payload, or None."""
    if not isinstance(payload, dict):
        return f"expected a JSON object, got {type(payload).__name__}"
    result = payload.get("result")
    if payload.get("retCode") != 0 or not isinstance(result, dict):
        return f"retCode {payload.get('retCode')!r}: {payload.get('retMsg')!r}"
    if not isinstance(result.get("list"), list):
        return "result.list is not an array"
    return None


def bybit_venue(
    *,
    rest_url: str | None = None,
    ws_url: str | None = None,
    options: Mapping[str, Any] | None = None,
    live: LivePolicy | None = None,
    rate_limit_ms: int | None = None,
) -> CcxtVenue:
    """Return Bybit spot as a venue.

    Parameters
    ----------
    rest_url
        REST base (default ``https://api.bybit.com``; e.g. ``https://api-testnet.bybit.com``).
    ws_url
        Websocket base (default ``wss://stream.bybit.com``).
    options
        ccxt options merged over `DEFAULT_OPTIONS`.
    live, rate_limit_ms
        See `CcxtVenue`.
    """
    return CcxtVenue(
        "bybit",
        rest_url=rest_url,
        ws_url=ws_url,
        options=merge_options(DEFAULT_OPTIONS, options),
        page_limit=PAGE_LIMIT,
        payload_check=check_kline,
        live=live,
        rate_limit_ms=rate_limit_ms,
    )
