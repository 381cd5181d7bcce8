"""OKX v5 spot through ccxt, loading only ``GET /api/v5/public/instruments?instType=SPOT``.

ccxt asks ``history-candles`` for anything older than 1,440 candles and ``candles`` otherwise;
the former returns at most 100 per request, hence `PAGE_LIMIT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from market_store.venues.ccxt_venue import CcxtVenue, merge_options
from market_store.venues.policy import LivePolicy

PAGE_LIMIT = 100
"""The most candles ``/api/v5/market/history-candles`` returns per request."""

DEFAULT_OPTIONS: Mapping[str, Any] = {
    "defaultType": "spot",
    "fetchMarkets": {"types": ["spot"]},
}
"""Spot instruments only."""


def check_candles(payload: object) -> str | None:
    """Tell what is wrong with a candles payload (``{"code": "0", "data": [...]}``), or None."""
    if not isinstance(payload, dict):
        return f"expected a JSON object, got {type(payload).__name__}"
    if payload.get("code") != "0":
        return f"code {payload.get('code')!r}: {payload.get('msg')!r}"
    if not isinstance(payload.get("data"), list):
        return "data is not an array"
    return None


def okx_venue(
    *,
    rest_url: str | None = None,
    ws_url: str | None = None,
    options: Mapping[str, Any] | None = None,
    live: LivePolicy | None = None,
    rate_limit_ms: int | None = None,
) -> CcxtVenue:
    """Return OKX spot as a venue.

    Parameters
    ----------
    rest_url
        REST base (default ``https://www.okx.com``; e.g. ``https://us.okx.com``).
    ws_url
        Websocket base (default ``wss://ws.okx.com:443``).
    options
        ccxt options merged over `DEFAULT_OPTIONS`.
    live, rate_limit_ms
        See `CcxtVenue`.
    """
    return CcxtVenue(
        "okx",
        rest_url=rest_url,
        ws_url=ws_url,
        options=merge_options(DEFAULT_OPTIONS, options),
        page_limit=PAGE_LIMIT,
        payload_check=check_candles,
        live=live,
        rate_limit_ms=rate_limit_ms,
    )
