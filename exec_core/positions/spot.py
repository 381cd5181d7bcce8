"""Turn a signal into an order intent with spot semantics (shorts only where allowed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from exec_core.positions.filters import MarketFilters, round_order
from exec_core.positions.settings import PositionsSection

Action = Literal["open_long", "add_long", "close_long", "open_short", "add_short", "close_short"]


@dataclass(frozen=True, slots=True)
class OrderIntent:
    """What to send: `side` and `quantity` (rounded to the venue's filters) and why."""

    symbol: str
    side: Literal["buy", "sell"]
    quantity: Decimal
    action: Action
    reduce_only: bool


@dataclass(frozen=True, slots=True)
class NoTrade:
    """Why a signal leads to no order."""

    symbol: str
    reason: str


class PositionPolicy:
    """Spot semantics: up opens or adds to a long; down closes it (or shorts, if allowed).

    Parameters
    ----------
    settings
        Pairlist, shorting and exits.
    """

    def __init__(self, settings: PositionsSection) -> None:
        self.settings = settings

    def tradable(self, symbol: str) -> bool:
        """Return whether `symbol` is on the pairlist."""
        return symbol in self.settings.pairlist

    def on_signal(
        self,
        *,
        symbol: str,
        direction: str,
        position_quantity: Decimal,
        size: Decimal,
        price: Decimal,
        filters: MarketFilters,
    ) -> OrderIntent | NoTrade:
        """Return the order a signal asks for.

        Parameters
        ----------
        symbol, direction
            The signal's market and direction (``up``, ``down``, ``flat``).
        position_quantity
            The current signed position (negative = short).
        size
            Quantity to open or add, as the risk gate sized it (base units).
        price
            Reference price for the minimum-notional check.
        filters
            The venue's filters for `symbol` (and whether it can be shorted).
        """
        if not self.tradable(symbol):
            return NoTrade(symbol, f"{symbol} is not on the pairlist")
        if direction == "flat":
            return NoTrade(symbol, "flat signal")
        if direction == "up":
            if position_quantity < 0:
                return self._intent(
                    symbol,
                    "buy",
                    -position_quantity,
                    "close_short",
                    price,
                    filters,
                    reduce_only=True,
                )
            action: Action = "add_long" if position_quantity > 0 else "open_long"
            return self._intent(symbol, "buy", size, action, price, filters, reduce_only=False)
        if position_quantity > 0:
            return self._intent(
                symbol, "sell", position_quantity, "close_long", price, filters, reduce_only=True
            )
        if not (self.settings.allow_short and filters.shortable):
            return NoTrade(symbol, "down signal with no long to close; shorting is off here")
        short: Action = "add_short" if position_quantity < 0 else "open_short"
        return self._intent(symbol, "sell", size, short, price, filters, reduce_only=False)

    def exit_intent(
        self, symbol: str, position_quantity: Decimal, price: Decimal, filters: MarketFilters
    ) -> OrderIntent | NoTrade:
        """Return the order that closes a position (an exit rule fired)."""
        if position_quantity == 0:
            return NoTrade(symbol, "no position to close")
        if position_quantity > 0:
            return self._intent(
                symbol, "sell", position_quantity, "close_long", price, filters, reduce_only=True
            )
        return self._intent(
            symbol, "buy", -position_quantity, "close_short", price, filters, reduce_only=True
        )

    @staticmethod
    def _intent(
        symbol: str,
        side: Literal["buy", "sell"],
        quantity: Decimal,
        action: Action,
        price: Decimal,
        filters: MarketFilters,
        *,
        reduce_only: bool,
    ) -> OrderIntent | NoTrade:
        rounded = round_order(filters, side, quantity, reference_price=price)
        if rounded.reason is not None:
            return NoTrade(symbol, rounded.reason)
        return OrderIntent(symbol, side, rounded.quantity, action, reduce_only)
