"""market_store's ccxt client: candles over REST and websocket, typed, through `venue_adapter`.

`CcxtClient` wraps one ccxt.pro exchange (plain async ccxt when the exchange has no websocket
support); `venue_adapter` opens it, moves its URLs and turns every ccxt failure into a
`venue_adapter.errors.VenueError` whose kind says whether retrying may help (it reads the
HTTP status and ``Retry-After`` of the very response that failed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import orjson

from venue_adapter.exchanges import Response, call, exchange_config, open_exchange
from venue_adapter.urls import check_bases, rebase_urls

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class OhlcvResponse:
    """ccxt's parsed rows and the JSON payload they came from (None when it was not JSON)."""

    rows: list[object]
    payload: object


class CcxtClient:
    """One ccxt exchange for REST and websocket calls, with typed results and classified errors.

    Parameters
    ----------
    exchange_id
        ccxt's id of the exchange (``binance``).
    venue
        The venue's name, for error messages.
    rest_url, ws_url
        New base URLs (scheme, host, optional path prefix) for every REST / websocket URL.
    options, rate_limit_ms, timeout_ms
        As for `venue_adapter.exchanges.exchange_config`.
    """

    def __init__(
        self,
        exchange_id: str,
        *,
        venue: str,
        rest_url: str | None = None,
        ws_url: str | None = None,
        options: Mapping[str, Any] | None = None,
        rate_limit_ms: int | None = None,
        timeout_ms: int = 10_000,
    ) -> None:
        check_bases(rest_url=rest_url, ws_url=ws_url)
        config = exchange_config(options or {}, rate_limit_ms=rate_limit_ms, timeout_ms=timeout_ms)
        self._exchange: Any
        self._exchange, self.has_websocket = open_exchange(
            exchange_id, config, venue=venue, websocket=True
        )
        self.venue = venue
        self._exchange.urls["api"] = rebase_urls(
            self._exchange.urls["api"], rest_url=rest_url, ws_url=ws_url
        )
        self.has_websocket = self.has_websocket and bool(self._exchange.has.get("watchOHLCV"))
        self.has_time = bool(self._exchange.has.get("fetchTime"))
        self.timeframes: dict[str, str] = dict(self._exchange.timeframes or {})

    async def _call(self, what: str, make: Callable[[], Awaitable[T]]) -> tuple[T, Response]:
        return await call(self.venue, what, make)

    async def load_markets(self) -> dict[str, dict[str, Any]]:
        """Return the exchange's markets by unified symbol, loading them on the first call."""
        markets, _ = await self._call("load markets", self._exchange.load_markets)
        return cast(dict[str, dict[str, Any]], markets)

    async def fetch_ohlcv(
        self, symbol: str, timeframe: str, since_ms: int, limit: int
    ) -> OhlcvResponse:
        """Return ccxt's rows for one ``fetch_ohlcv`` call and the payload they came from."""
        rows, noted = await self._call(
            f"fetch_ohlcv {symbol} {timeframe} since {since_ms}",
            lambda: self._exchange.fetch_ohlcv(symbol, timeframe, since_ms, limit),
        )
        try:
            payload = orjson.loads(noted.body) if noted.body else None
        except orjson.JSONDecodeError:
            payload = None
        return OhlcvResponse(list(rows or []), payload)

    async def fetch_time(self) -> int | None:
        """Return the exchange's clock in epoch milliseconds, or None when it does not tell."""
        if not self.has_time:
            return None
        now, _ = await self._call("fetch_time", self._exchange.fetch_time)
        return None if now is None else int(now)

    async def watch_ohlcv(self, symbol: str, timeframe: str) -> list[object]:
        """Return the next batch of candle updates from the websocket (ccxt.pro ``watch_ohlcv``)."""
        rows, _ = await self._call(
            f"watch_ohlcv {symbol} {timeframe}",
            lambda: self._exchange.watch_ohlcv(symbol, timeframe),
        )
        return list(rows or [])

    async def reset_websockets(self, symbol: str, timeframe: str, *, close: bool) -> None:
        """Forget the candles cached from the websocket; with `close`, close its connections."""
        cached = self._exchange.ohlcvs.get(symbol) if self._exchange.ohlcvs else None
        if isinstance(cached, dict):
            cached.pop(timeframe, None)
        if close and self.has_websocket:
            await self._exchange.close_ws_clients()

    async def close(self) -> None:
        """Close every connection of the exchange."""
        await self._exchange.close()
