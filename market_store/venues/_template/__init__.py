"""A new venue, step by step (copy this folder to ``market_store/venues/<name>/``).

Most exchanges need no folder at all: ``make_venue("kraken")`` already gives a working
`CcxtVenue` for any exchange ccxt knows. Give one a folder when it needs defaults of its own:
ccxt options that keep ``load_markets`` small, its page size, a payload check.

1. Find what ccxt calls for candles: read ``fetch_markets`` and ``fetch_ohlcv`` in
   ``.venv/lib/python3.11/site-packages/ccxt/async_support/<exchange_id>.py``. Note the most
   candles one request returns (``PAGE_LIMIT``) and the options that skip markets you do not
   need (derivatives, options, currencies that need API keys).
2. Fill in ``venue.py`` below (rename ``example`` to the exchange's ccxt id).
3. Register the factory in ``market_store/venues/registry.py``: ``VENUES["<name>"] = <name>_venue``.
4. Add a local server speaking the exchange's wire protocol in ``tests/fixtures/exchanges/``
   (markets, klines, time; see ``bybit.py`` there for a small one) and an integration test in
   ``tests/integration/market_store/venues/`` that backfills a real range and compares it with
   the file's candles. Never mock ccxt.

The venue module, filled in::

    from collections.abc import Mapping
    from typing import Any

    from market_store.venues.ccxt_venue import CcxtVenue, merge_options
    from market_store.venues.policy import LivePolicy

    PAGE_LIMIT = 500                       # the most candles one klines request returns
    DEFAULT_OPTIONS: Mapping[str, Any] = {  # keep load_markets to one small request
        "defaultType": "spot",
        "fetchMarkets": {"types": ["spot"]},
    }


    def check_payload(payload: object) -> str | None:
        # Say what is wrong with the raw klines JSON, so that a broken answer is never
        # taken for "no candles here"; None when its shape is right.
        if not isinstance(payload, list):
            return f"expected a JSON array, got {type(payload).__name__}"
        return None


    def example_venue(
        *,
        rest_url: str | None = None,       # settings: testnet, proxy or regional host
        ws_url: str | None = None,
        options: Mapping[str, Any] | None = None,
        live: LivePolicy | None = None,
        rate_limit_ms: int | None = None,
    ) -> CcxtVenue:
        return CcxtVenue(
            "example",                     # ccxt's exchange id
            rest_url=rest_url,
            ws_url=ws_url,
            options=merge_options(DEFAULT_OPTIONS, options),
            page_limit=PAGE_LIMIT,
            payload_check=check_payload,
            live=live,
            rate_limit_ms=rate_limit_ms,
        )

A venue that is not an exchange (like ``replay/``) implements `market_store.venues.base.Venue`
directly: ``name``, ``fetch_closed``, ``watch_closed`` (an ``async def`` generator) and ``close``.
"""
