"""Open ccxt exchanges and call them: every failure comes out as a classified `VenueError`.

ccxt ships no type information; this module and `venue_adapter.classify` are the only ones
that import it. `call` notes the status, headers and body of the response each call got (in
the caller's context), so a failure is classified by the very response that failed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import aiohttp
import ccxt  # type: ignore[import-untyped]
import ccxt.async_support  # type: ignore[import-untyped]
import ccxt.pro  # type: ignore[import-untyped]

from venue_adapter.classify import classify
from venue_adapter.errors import MalformedPayloadError, UnknownVenueError, VenueUnavailableError
from venue_adapter.urls import rebase_urls

T = TypeVar("T")


@dataclass(slots=True)
class Response:
    """The last response a call got: HTTP status, headers (lower-case names) and body."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


_LAST: contextvars.ContextVar[Response | None] = contextvars.ContextVar(
    "ccxt_response", default=None
)
_UNREADABLE = (TypeError, ValueError, KeyError, IndexError, AttributeError)


def exchange_ids() -> list[str]:
    """Return the ids of every exchange ccxt knows (``binance``, ``kraken``, ...)."""
    return list(cast(list[str], ccxt.exchanges))


def exchange_config(
    options: Mapping[str, Any],
    *,
    rate_limit_ms: int | None = None,
    timeout_ms: int = 10_000,
    enable_rate_limit: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """Return a ccxt exchange's constructor config.

    Parameters
    ----------
    options
        ccxt ``options``, merged over ccxt's defaults.
    rate_limit_ms
        ccxt's ``rateLimit`` (ms between requests); None keeps ccxt's value for the exchange.
    timeout_ms
        Per-request timeout.
    enable_rate_limit
        Whether ccxt spaces requests itself.
    extra
        Other keys as they are (``apiKey``, ``secret``).
    """
    config: dict[str, Any] = {
        "enableRateLimit": enable_rate_limit,
        "timeout": timeout_ms,
        "options": dict(options),
        **extra,
    }
    if rate_limit_ms is not None:
        config["rateLimit"] = rate_limit_ms
    return config


def open_exchange(
    exchange_id: str, config: Mapping[str, Any], *, venue: str, websocket: bool
) -> tuple[Any, bool]:
    """Return a new async ccxt exchange and whether it is ccxt.pro's (with websockets).

    With `websocket`, ccxt.pro's class is preferred; plain async ccxt otherwise, or when the
    exchange has no websocket support. The exchange notes its responses for `call`.

    Raises
    ------
    UnknownVenueError
        ccxt knows no such exchange.
    """
    if websocket and exchange_id in ccxt.pro.exchanges:
        cls, pro = getattr(ccxt.pro, exchange_id), True
    elif exchange_id in ccxt.async_support.exchanges:
        cls, pro = getattr(ccxt.async_support, exchange_id), False
    else:
        raise UnknownVenueError(venue, f"ccxt knows no exchange {exchange_id!r}")
    exchange = cls(dict(config))
    _record_responses(exchange)
    return exchange, pro


def uses_tick_sizes(exchange: Any) -> bool:
    """Tell whether ccxt gives the exchange's precisions as tick sizes (not digit counts)."""
    return bool(exchange.precisionMode == ccxt.TICK_SIZE)


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


async def call(venue: str, what: str, make: Callable[[], Awaitable[T]]) -> tuple[T, Response]:
    """Await one ccxt call; return its result and the response it got.

    Raises
    ------
    VenueError
        Of the kind `venue_adapter.classify.classify` says: a transport failure ccxt let
        through is `VenueUnavailableError`, a response that could not be read
        `MalformedPayloadError`.
    """
    noted = Response()
    token = _LAST.set(noted)
    try:
        return await make(), noted
    except ccxt.BaseError as error:
        raise classify(venue, what, error, noted.status, noted.headers) from error
    except (OSError, aiohttp.ClientError) as error:  # a transport failure ccxt let through
        raise VenueUnavailableError(venue, f"{what}: {error!r}") from error
    except _UNREADABLE as error:
        raise MalformedPayloadError(venue, f"{what}: unreadable response: {error!r}") from error
    finally:
        _LAST.reset(token)


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
    exchange = getattr(ccxt, exchange_id)(exchange_config(options or {}))
    exchange.urls["api"] = rebase_urls(exchange.urls["api"], rest_url=rest_url, ws_url=None)
    return cast(SyncExchange, exchange)
