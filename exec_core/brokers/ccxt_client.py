"""exec_core's ccxt client: orders and balances, typed, through `venue_adapter`.

Every ccxt failure comes out as a `venue_adapter.errors.VenueError` of its kind, classified
as market data's are: temporary (`VenueUnavailableError`, `RateLimitedError` with the venue's
``Retry-After``: network, timeout, 5xx, 429/418), operational (`VenueRequestError`: rejected
order, insufficient funds, bad keys; `OrderNotFoundError`) or invalid (`MalformedPayloadError`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

from venue_adapter.decimals import decimal_or_zero
from venue_adapter.errors import VenueRequestError
from venue_adapter.exchanges import call, exchange_config, open_exchange, uses_tick_sizes
from venue_adapter.urls import rebase_urls

T = TypeVar("T")

_OPTIONS = {
    "fetchMarkets": {"types": ["spot"]},
    "fetchCurrencies": False,
    "fetchMargins": False,
    "warnOnFetchOpenOrdersWithoutSymbol": False,
    "defaultType": "spot",
}


class CcxtTradingClient:
    """One ccxt exchange for orders and balances, with classified errors.

    Parameters
    ----------
    exchange_id
        ccxt's id (``binance``).
    api_key, api_secret
        Credentials.
    testnet
        Switch to the venue's testnet (before `rest_url`, which ccxt's sandbox would erase).
    rest_url
        Replace every REST URL's scheme and host (a local venue); empty keeps them.
    timeout_ms
        Per-request timeout.
    """

    def __init__(
        self,
        exchange_id: str,
        *,
        api_key: str,
        api_secret: str,
        testnet: bool,
        rest_url: str = "",
        timeout_ms: int = 10_000,
    ) -> None:
        config = exchange_config(
            _OPTIONS,
            timeout_ms=timeout_ms,
            enable_rate_limit=False,
            apiKey=api_key,
            secret=api_secret,
        )
        self.venue = exchange_id
        self._exchange: Any
        self._exchange, _ = open_exchange(exchange_id, config, venue=exchange_id, websocket=False)
        if not uses_tick_sizes(self._exchange):  # steps would be digit counts
            raise VenueRequestError(
                exchange_id,
                "ccxt gives its precision as digit counts, not tick sizes; "
                "exec_core cannot round orders for it",
            )
        if testnet:
            self._exchange.set_sandbox_mode(True)
        if rest_url:
            self._exchange.urls["api"] = rebase_urls(
                self._exchange.urls["api"], rest_url=rest_url, ws_url=None
            )

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._exchange.close()

    async def _call(self, what: str, make: Callable[[], Awaitable[T]]) -> T:
        result, _ = await call(self.venue, what, make)
        return result

    async def load_markets(self, *, reload: bool = False) -> dict[str, dict[str, Any]]:
        """Return the markets by unified symbol (`reload`: ask the venue again, not the cache).

        Each market's ``precision`` holds tick sizes as floats (``amount: 1e-05``) and its
        ``limits`` the minimum amount and cost (Binance: LOT_SIZE, NOTIONAL/MIN_NOTIONAL).
        """
        return cast(
            dict[str, dict[str, Any]],
            await self._call("load markets", lambda: self._exchange.load_markets(reload)),
        )

    async def create_order(
        self,
        symbol: str,
        order_type: str,
        side: str,
        amount: Decimal,
        price: Decimal | None,
        client_order_id: str,
    ) -> dict[str, Any]:
        """Send an order tagged with `client_order_id`; return ccxt's order."""
        params = {"clientOrderId": client_order_id}
        return cast(
            dict[str, Any],
            await self._call(
                f"create order {client_order_id}",
                lambda: self._exchange.create_order(
                    symbol,
                    order_type,
                    side,
                    str(amount),
                    None if price is None else str(price),
                    params,
                ),
            ),
        )

    async def fetch_order_by_client_id(self, symbol: str, client_order_id: str) -> dict[str, Any]:
        """Return the order with our `client_order_id` (`OrderNotFoundError` when none)."""
        params = {"origClientOrderId": client_order_id}
        return cast(
            dict[str, Any],
            await self._call(
                f"fetch order {client_order_id}",
                lambda: self._exchange.fetch_order(None, symbol, params),
            ),
        )

    async def cancel_order(self, symbol: str, client_order_id: str) -> dict[str, Any]:
        """Cancel the order with our `client_order_id`; return ccxt's order."""
        params = {"origClientOrderId": client_order_id}
        return cast(
            dict[str, Any],
            await self._call(
                f"cancel order {client_order_id}",
                lambda: self._exchange.cancel_order(None, symbol, params),
            ),
        )

    async def fetch_open_orders(self, symbol: str | None = None) -> list[dict[str, Any]]:
        """Return the venue's open orders (of `symbol`, or all)."""
        return cast(
            list[dict[str, Any]],
            await self._call("fetch open orders", lambda: self._exchange.fetch_open_orders(symbol)),
        )

    async def fetch_order_trades(self, symbol: str, venue_order_id: str) -> list[dict[str, Any]]:
        """Return the trades (fills) of one order."""
        params = {"orderId": venue_order_id}
        return cast(
            list[dict[str, Any]],
            await self._call(
                f"fetch trades of {venue_order_id}",
                lambda: self._exchange.fetch_my_trades(symbol, None, None, params),
            ),
        )

    async def fetch_balance(self) -> dict[str, Decimal]:
        """Return the total balance of every currency the account holds."""
        raw = await self._call("fetch balance", self._exchange.fetch_balance)
        totals = cast(dict[str, Any], raw.get("total") or {})
        return {ccy: decimal_or_zero(amount, ccy) for ccy, amount in totals.items()}
