"""OKX v5 spot: candles over REST (``/api/v5/market/candles`` and ``history-candles``)."""

from market_store.venues.okx.venue import DEFAULT_OPTIONS, PAGE_LIMIT, check_candles, okx_venue

__all__ = ["DEFAULT_OPTIONS", "PAGE_LIMIT", "check_candles", "okx_venue"]
