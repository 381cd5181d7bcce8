"""The one module that touches ccxt (it ships no type information): a narrow, typed client.

`CcxtClient` wraps one ccxt.pro exchange (plain async ccxt when the exchange has no websocket
support) for REST and websocket alike, and turns every ccxt failure into a `VenueError` whose
kind says whether retrying may help. It reads the HTTP status and ``Retry-After`` of the very
response that failed, because ccxt maps both 418 and 429 (and even 400/404) onto one class.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import aiohttp
import ccxt  # type: ignore[import-untyped]
import ccxt.async_support  # type: ignore[import-untyped]
import ccxt.pro  # type: ignore[import-untyped]
import orjson

from market_store.venues.base import (
    MalformedPayloadError,
    RateLimitedError,
    RegionRefusedError,
    UnknownVenueError,
    VenueError,
    VenueRequestError,
    VenueUnavailableError,
)
from market_store.venues.policy import retry_after_secs
from market_store.venues.urls import check_bases, rebase_urls


@dataclass(slots=True)
class _Response:
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


_LAST: contextvars.ContextVar[_Response | None] = contextvars.ContextVar(
    "ccxt_response", default=None
)
_UNREADABLE = (TypeError, ValueError, KeyError, IndexError, AttributeError)


def exchange_ids() -> list[str]:
    """Return the ids of every exchange ccxt knows (``binance``, ``kraken``, ...)."""
    return list(cast(list[str], ccxt.exchanges))


def classify(
    venue: str, what: str, error: Exception, status: int | None, headers: Mapping[str, str]
) -> VenueError:
    """Return the `VenueError` for a ccxt failure of `what`, given the failed response's status.

    429 and 418 (and ccxt's rate-limit classes) are rate limits, 418 a ban; 5xx, timeouts and
    network failures are temporary; 451 is a refused region; other 4xx and request errors are
    not temporary; a response ccxt could not read is malformed.
    """
    message = f"{what}: {type(error).__name__}: {str(error)[:300]}"
    if status in (418, 429) or isinstance(error, ccxt.DDoSProtection):
        wait = retry_after_secs(headers.get("retry-after"))
        return RateLimitedError(venue, message, retry_after_secs=wait, banned=status == 418)
    if status is not None and status >= 500:
        return VenueUnavailableError(venue, message)
    if status == 451:
        return RegionRefusedError(venue, f"refuses this location (HTTP 451): {message}")
    if status is not None and 400 <= status < 500:
        return VenueRequestError(venue, message)
    if isinstance(error, ccxt.BadResponse):
        return MalformedPayloadError(venue, message)
    if isinstance(error, ccxt.NetworkError):
        return VenueUnavailableError(venue, message)
    if isinstance(error, ccxt.BaseError):
        return VenueRequestError(venue, message)
    return MalformedPayloadError(venue, message)


def _exchange_class(exchange_id: str, venue: str) -> tuple[Any, bool]:
    if exchange_id in ccxt.pro.exchanges:
        return getattr(ccxt.pro, exchange_id), True
    if exchange_id in ccxt.async_support.exchanges:
        return getattr(ccxt.async_support, exchange_id), False
    raise UnknownVenueError(venue, f"ccxt knows no exchange {exchange_id!r}")


def _config(
    options: Mapping[str, Any], rate_limit_ms: int | None, timeout_ms: int
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "enableRateLimit": True,
        "timeout": timeout_ms,
        "options": dict(options),
    }
    if rate_limit_ms is not None:
        config["rateLimit"] = rate_limit_ms
    return config


def _record_responses(exchange: Any) -> None:
    """Make `exchange` note each response's status, headers and body in the caller's context."""
    fetch = exchange.fetch
    on_rest_response = exchange.on_rest_response

    async def fetch_noting(
        url: str, method: str = "GET", headers: Any = None, body: Any = None
    ) -> Any:
        noted = _LAST.get()
        if noted is not None:
            noted.status, noted.headers, noted.body = None, {}, None
        return await fetch(url, method, headers, body)

    def note(
        code: int, reason: str, url: str, method: str, headers: Any, body: str, *rest: Any
    ) -> Any:
        noted = _LAST.get()
        if noted is not None:
            noted.status, noted.body = int(code), body
            noted.headers = {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
        return on_rest_response(code, reason, url, method, headers, body, *rest)

    exchange.fetch = fetch_noting
    exchange.on_rest_response = note


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
    options
        ccxt ``options``, merged over ccxt's defaults.
    rate_limit_ms
        ccxt's ``rateLimit`` (ms between requests); None keeps ccxt's value for the exchange.
    timeout_ms
        Per-request timeout.
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
        cls, self.has_websocket = _exchange_class(exchange_id, venue)
        self.venue = venue
        self._exchange: Any = cls(_config(options or {}, rate_limit_ms, timeout_ms))
        self._exchange.urls["api"] = rebase_urls(
            self._exchange.urls["api"], rest_url=rest_url, ws_url=ws_url
        )
        self.has_websocket = self.has_websocket and bool(self._exchange.has.get("watchOHLCV"))
        self.has_time = bool(self._exchange.has.get("fetchTime"))
        self.timeframes: dict[str, str] = dict(self._exchange.timeframes or {})
        _record_responses(self._exchange)

    async def _call(self, what: str, call: Callable[[], Awaitable[Any]]) -> tuple[Any, _Response]:
        noted = _Response()
        token = _LAST.set(noted)
        try:
            return await call(), noted
        except ccxt.BaseError as error:
            raise classify(self.venue, what, error, noted.status, noted.headers) from error
        except (OSError, aiohttp.ClientError) as error:  # a transport failure ccxt let through
            raise VenueUnavailableError(self.venue, f"{what}: {error!r}") from error
        except _UNREADABLE as error:
            raise MalformedPayloadError(
                self.venue, f"{what}: unreadable response: {error!r}"
            ) from error
        finally:
            _LAST.reset(token)

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


class SyncExchange(Protocol):
    """The part of a synchronous ccxt exchange that tests and tools use."""

    markets: dict[str, dict[str, Any]] | None

    def load_markets(self) -> dict[str, dict[str, Any]]: ...

    def fetch_ohlcv(
        self, symbol: str, timeframe: str, since: int | None, limit: int | None
    ) -> list[list[Any]]: ...

    def fetch_time(self) -> int | None: ...


def sync_exchange(
    exchange_id: str, *, rest_url: str | None = None, options: Mapping[str, Any] | None = None
) -> SyncExchange:
    """Return a synchronous ccxt exchange whose REST URLs are moved to `rest_url`."""
    exchange = getattr(ccxt, exchange_id)(_config(options or {}, None, 10_000))
    exchange.urls["api"] = rebase_urls(exchange.urls["api"], rest_url=rest_url, ws_url=None)
    return cast(SyncExchange, exchange)
