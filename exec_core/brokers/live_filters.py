"""The live venue's market filters: read from ccxt's markets, checked before every order."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from exec_core.positions.filters import MarketFilters, round_order
from signal_schema.orders import SubmitOrder


class VenueFilters:
    """Each symbol's filters at one venue, and each symbol's last close.

    Parameters
    ----------
    venue
        The venue's name (in refusals).
    """

    def __init__(self, venue: str) -> None:
        self.venue = venue
        self._by_symbol: dict[str, MarketFilters] | None = None
        self._last_close: dict[str, Decimal] = {}

    def load(self, markets: Mapping[str, Mapping[str, Any]]) -> None:
        """Replace the filters with those of ccxt's `markets` (by unified symbol)."""
        self._by_symbol = {
            symbol: MarketFilters.from_ccxt_market(market, self.venue)
            for symbol, market in markets.items()
        }

    def of(self, symbol: str) -> MarketFilters:
        """Return `symbol`'s filters; refused when the venue does not list it or not loaded."""
        if self._by_symbol is None:
            return MarketFilters.refused(symbol, f"{self.venue}'s markets are not loaded yet")
        found = self._by_symbol.get(symbol)
        if found is None:
            return MarketFilters.refused(symbol, f"{self.venue} does not list {symbol}")
        return found

    def note_close(self, symbol: str, close: Decimal) -> None:
        """Keep `symbol`'s latest close (the reference price of its market orders)."""
        self._last_close[symbol] = close

    def breach(self, order: SubmitOrder) -> str | None:
        """Return why `order`, as it stands, breaks its market's filters (None if it does not).

        A quantity off the step or a price off the tick is a breach, not something to round
        here: the ledger holds the order as it is. A market order's notional is checked at
        the last close, when there is one.
        """
        filters = self.of(order.symbol)
        rounded = round_order(
            filters,
            order.side,
            order.quantity,
            price=order.limit_price,
            reference_price=self._last_close.get(order.symbol),
        )
        if rounded.reason is not None:
            return rounded.reason
        if rounded.quantity != order.quantity:
            return f"quantity {order.quantity} is not a multiple of the step {filters.step_size}"
        if rounded.price != order.limit_price:
            return f"price {order.limit_price} is not a multiple of the tick {filters.tick_size}"
        return None
