"""Bybit v5 spot: klines over REST (``GET /v5/market/kline``)."""

from market_store.venues.bybit.venue import DEFAULT_OPTIONS, PAGE_LIMIT, bybit_venue, check_kline

__all__ = ["DEFAULT_OPTIONS", "PAGE_LIMIT", "bybit_venue", "check_kline"]
