"""A market's trading filters (tick size, step size, minimum quantity and notional), from ccxt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from venue_adapter.decimals import decimal_or_zero


@dataclass(frozen=True, slots=True)
class MarketFilters:
    """A market's trading filters; a zero size or minimum means "no constraint".

    `refusal`, when set, says why no order of the market may be sent at all (the venue does
    not list it, or does not trade it now).
    """

    symbol: str
    tick_size: Decimal = Decimal(0)
    step_size: Decimal = Decimal(0)
    min_quantity: Decimal = Decimal(0)
    min_notional: Decimal = Decimal(0)
    shortable: bool = False
    refusal: str | None = None

    @classmethod
    def refused(cls, symbol: str, reason: str) -> MarketFilters:
        """Return filters that refuse every order of `symbol`, saying why."""
        return cls(symbol, refusal=reason)

    def tightened(self, min_notional: Decimal, default_step: Decimal) -> MarketFilters:
        """Return these filters with a minimum notional of at least `min_notional`.

        `default_step` stands in for a step the venue does not give (zero).
        """
        return replace(
            self,
            step_size=self.step_size or default_step,
            min_notional=max(self.min_notional, min_notional),
        )

    @classmethod
    def from_ccxt_market(cls, market: Mapping[str, Any], venue: str = "the venue") -> MarketFilters:
        """Build the filters from a ccxt market (``precision`` in ticks, ``limits``).

        ccxt gives tick sizes as floats (``0.00001``); `exact_decimal` keeps them exact.
        A market ccxt marks inactive is refused.
        """
        precision = market.get("precision") or {}
        limits = market.get("limits") or {}
        symbol = str(market["symbol"])
        inactive = market.get("active") is False
        return cls(
            symbol=symbol,
            tick_size=decimal_or_zero(precision.get("price"), "tick size"),
            step_size=decimal_or_zero(precision.get("amount"), "step size"),
            min_quantity=decimal_or_zero((limits.get("amount") or {}).get("min"), "min amount"),
            min_notional=decimal_or_zero((limits.get("cost") or {}).get("min"), "min cost"),
            shortable=bool(market.get("margin")),
            refusal=f"{symbol} is not trading on {venue} now" if inactive else None,
        )
