"""`CcxtVenue`: any exchange ccxt knows, by name, as a `Venue`."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

from market_store.candles import Candle, timeframe_ms
from market_store.venues.base import MalformedPayloadError, VenueRequestError
from market_store.venues.ccxt_api import CcxtClient
from market_store.venues.live import watch_closed
from market_store.venues.policy import LivePolicy
from market_store.venues.rows import Page, VenueStats, to_page
from market_store.venues.server_time import ServerClock
from market_store.venues.symbols import SymbolMap

_log = logging.getLogger(__name__)

PayloadCheck = Callable[[object], str | None]
"""Tells what is wrong with a venue's raw OHLCV payload, or None when its shape is right."""


def merge_options(
    defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Return `defaults` with `overrides` merged over them, nested mappings merged key by key."""
    merged = dict(defaults)
    for key, value in (overrides or {}).items():
        base = merged.get(key)
        if isinstance(base, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_options(base, value)
        else:
            merged[key] = value
    return merged


class CcxtVenue:
    """A venue served by ccxt: REST through ccxt, live candles through ccxt.pro.

    Parameters
    ----------
    exchange_id
        ccxt's id of the exchange (``binance``, ``kraken``, ...).
    name
        The venue's name in `MarketKey` (default: `exchange_id`).
    rest_url, ws_url
        Base URLs replacing the scheme and host of every REST / websocket URL of the exchange
        (a path is put before each endpoint's): testnets, proxies, regional hosts.
    options
        ccxt ``options``, merged over ccxt's defaults.
    page_limit
        The most candles the exchange returns per request.
    payload_check
        Checks the shape of each raw OHLCV payload, so a broken one is not taken for "no data".
    live
        How `watch_closed` polls and returns to the websocket.
    rate_limit_ms, timeout_ms
        ccxt's ``rateLimit`` (None: ccxt's value) and per-request timeout.
    time_sync_secs, close_margin_ms
        How often the venue's clock is read, and the margin past a candle's close before it
        counts as closed (see `ServerClock`).
    """

    def __init__(
        self,
        exchange_id: str,
        *,
        name: str | None = None,
        rest_url: str | None = None,
        ws_url: str | None = None,
        options: Mapping[str, Any] | None = None,
        page_limit: int = 500,
        payload_check: PayloadCheck | None = None,
        live: LivePolicy | None = None,
        rate_limit_ms: int | None = None,
        timeout_ms: int = 10_000,
        time_sync_secs: float = 60.0,
        close_margin_ms: int = 1_000,
    ) -> None:
        self.name = name or exchange_id
        self.page_limit = page_limit
        self.live = live or LivePolicy()
        self.stats = VenueStats()
        self._client = CcxtClient(
            exchange_id,
            venue=self.name,
            rest_url=rest_url,
            ws_url=ws_url,
            options=options,
            rate_limit_ms=rate_limit_ms,
            timeout_ms=timeout_ms,
        )
        self.has_websocket = self._client.has_websocket
        self._payload_check = payload_check
        self._clock = ServerClock(
            self._client.fetch_time, max_age_secs=time_sync_secs, margin_ms=close_margin_ms
        )
        self._symbols: SymbolMap | None = None

    async def symbols(self) -> SymbolMap:
        """Return the venue's markets both ways, loading them on the first call."""
        if self._symbols is None:
            self._symbols = SymbolMap(await self._client.load_markets())
        return self._symbols

    async def resolve(self, symbol: str) -> str:
        """Return the unified symbol of `symbol` written in any style (``btc_usdt``, ``BTCUSDT``).

        Raises
        ------
        VenueRequestError
            The venue lists no such market.
        """
        try:
            return (await self.symbols()).resolve(symbol)
        except KeyError:
            raise VenueRequestError(self.name, f"no market {symbol!r}") from None

    async def now_ms(self) -> int:
        """Return the venue's time (a lower bound), synced afresh."""
        return await self._clock.now_ms(max_age_secs=0)

    async def fetch_closed(
        self, symbol: str, timeframe: str, since_ms: int, limit: int
    ) -> list[Candle]:
        """Return up to `limit` closed candles opening at or after `since_ms`, oldest first."""
        return (await self.fetch_page(symbol, timeframe, since_ms, limit)).candles

    async def fetch_page(
        self, symbol: str, timeframe: str, since_ms: int, limit: int, *, fresh_clock: bool = False
    ) -> Page:
        """Return one page of closed candles with counts of what was left out of it.

        Parameters
        ----------
        symbol, timeframe, since_ms, limit
            As for `fetch_closed`; `limit` is capped at `page_limit`.
        fresh_clock
            Read the venue's clock before this request rather than estimate it.

        Raises
        ------
        MalformedPayloadError
            The response could not be read, or every candle in it was malformed.
        VenueRequestError, VenueUnavailableError, RateLimitedError
            See `venue_adapter.classify.classify`.
        """
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        unified = await self.resolve(symbol)
        if self._client.timeframes and timeframe not in self._client.timeframes:
            raise VenueRequestError(self.name, f"no {timeframe!r} candles")
        closed_by = await self._clock.now_ms(max_age_secs=0 if fresh_clock else None)
        response = await self._client.fetch_ohlcv(
            unified, timeframe, since_ms, min(limit, self.page_limit)
        )
        problem = self._payload_check(response.payload) if self._payload_check else None
        if problem is not None:
            raise MalformedPayloadError(self.name, f"OHLCV payload for {unified}: {problem}")
        context = f"{self.name} {unified} {timeframe}"
        page = to_page(
            response.rows,
            timeframe,
            timeframe_ms(timeframe),
            closed_by_ms=closed_by,
            context=context,
        )
        if response.rows and page.malformed == len(response.rows):
            raise MalformedPayloadError(self.name, f"{context}: every candle was malformed")
        page = _within(page, since_ms, limit)
        self.stats.add(page)
        return page

    async def watch_updates(self, symbol: str, timeframe: str) -> list[Candle]:
        """Return the candles (closed or not) of the next websocket update, oldest first."""
        rows = await self._client.watch_ohlcv(symbol, timeframe)
        context = f"{self.name} {symbol} {timeframe} websocket"
        tf_ms = timeframe_ms(timeframe)
        return to_page(rows, timeframe, tf_ms, closed_by_ms=None, context=context).candles

    async def reset_websocket(self, symbol: str, timeframe: str, *, close: bool) -> None:
        """Forget what the websocket cached for a series; with `close`, close the connection."""
        await self._client.reset_websockets(symbol, timeframe, close=close)

    def watch_closed(self, symbol: str, timeframe: str) -> AsyncGenerator[Candle, None]:
        """Yield each candle once, in order, when it has closed (see `market_store.venues.live`)."""
        return watch_closed(self, symbol, timeframe, self.live)

    async def close(self) -> None:
        """Close every connection to the venue."""
        await self._client.close()


def _within(page: Page, since_ms: int, limit: int) -> Page:
    """Keep the candles a request asked for: from `since_ms` on, at most `limit` of them."""
    wanted = [c for c in page.candles if c.ts_open_ms >= since_ms]
    early = len(page.candles) - len(wanted)
    if early:
        _log.info("dropped %d candles opening before %d", early, since_ms)
    return dataclasses.replace(page, candles=wanted[:limit], duplicates=page.duplicates + early)
