"""The one exec_core module that touches ccxt (untyped): a narrow, typed trading client.

Every ccxt failure becomes `TemporaryVenueError` (worth retrying: network, timeout, 5xx,
rate limit) or `PermanentVenueError` (rejected order, bad keys, unknown order).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, cast

import ccxt  # type: ignore[import-untyped]
import ccxt.async_support  # type: ignore[import-untyped]

from exec_core.errors import ExecCoreError


class VenueCallError(ExecCoreError):
    """A venue call failed."""


class TemporaryVenueError(VenueCallError):
    """Failed in a way a retry may fix (timeout, network, 5xx, rate limit)."""


class PermanentVenueError(VenueCallError):
    """Failed for good (rejected, insufficient funds, bad credentials, unknown order)."""


class OrderNotFoundError(PermanentVenueError):
    """The venue knows no such order."""


_TEMPORARY = (ccxt.NetworkError,)  # RequestTimeout, ExchangeNotAvailable, DDoSProtection, ...
_HOST = re.compile(r"^https?://[^/]+")


def rebase(urls: Any, base: str) -> Any:
    """Return ccxt's ``urls['api']`` with every URL's scheme and host replaced by `base`."""
    if isinstance(urls, dict):
        return {key: rebase(value, base) for key, value in urls.items()}
    if isinstance(urls, str):
        return _HOST.sub(base.rstrip("/"), urls)
    return urls


def dec(value: object) -> Decimal:
    """Return a ccxt number (float, str or None) as a `Decimal` (None is 0)."""
    return Decimal(0) if value is None else Decimal(str(value))


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
        if exchange_id not in ccxt.async_support.exchanges:
            raise PermanentVenueError(f"ccxt knows no exchange {exchange_id!r}")
        cls = getattr(ccxt.async_support, exchange_id)
        options = {
            "fetchMarkets": {"types": ["spot"]},
            "fetchCurrencies": False,
            "fetchMargins": False,
            "warnOnFetchOpenOrdersWithoutSymbol": False,
            "defaultType": "spot",
        }
        self._exchange: Any = cls(
            {
                "apiKey": api_key,
                "secret": api_secret,
                "timeout": timeout_ms,
                "enableRateLimit": False,
                "options": options,
            }
        )
        if self._exchange.precisionMode != ccxt.TICK_SIZE:  # steps would be digit counts
            raise PermanentVenueError(
                f"{exchange_id}: ccxt gives its precision as digit counts, not tick sizes; "
                "exec_core cannot round orders for it"
            )
        if testnet:
            self._exchange.set_sandbox_mode(True)
        if rest_url:
            self._exchange.urls["api"] = rebase(self._exchange.urls["api"], rest_url)

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._exchange.close()

    async def _call(self, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        try:
            return await call()
        except ccxt.OrderNotFound as error:
            raise OrderNotFoundError(f"{what}: {error}") from error
        except _TEMPORARY as error:
            raise TemporaryVenueError(f"{what}: {type(error).__name__}: {error}") from error
        except ccxt.BaseError as error:
            raise PermanentVenueError(f"{what}: {type(error).__name__}: {error}") from error
        except OSError as error:
            raise TemporaryVenueError(f"{what}: {error!r}") from error

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
        return {ccy: dec(amount) for ccy, amount in totals.items()}
