"""Binance spot: klines over REST (``GET /api/v3/klines``), kline streams over websocket."""

from market_store.venues.binance.venue import (
    DEFAULT_OPTIONS,
    PAGE_LIMIT,
    binance_venue,
    check_klines,
)

__all__ = ["DEFAULT_OPTIONS", "PAGE_LIMIT", "binance_venue", "check_klines"]
