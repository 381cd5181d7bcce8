"""Round orders to a venue's filters (tick size, step size, minimum quantity and notional)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any


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

        ccxt gives tick sizes as floats (``0.00001``); ``Decimal(str(x))`` keeps them exact.
        A market ccxt marks inactive is refused.
        """
        precision = market.get("precision") or {}
        limits = market.get("limits") or {}
        symbol = str(market["symbol"])

        def dec(value: object) -> Decimal:
            return Decimal(str(value)) if value is not None else Decimal(0)

        inactive = market.get("active") is False
        return cls(
            symbol=symbol,
            tick_size=dec(precision.get("price")),
            step_size=dec(precision.get("amount")),
            min_quantity=dec((limits.get("amount") or {}).get("min")),
            min_notional=dec((limits.get("cost") or {}).get("min")),
            shortable=bool(market.get("margin")),
            refusal=f"{symbol} is not trading on {venue} now" if inactive else None,
        )


@dataclass(frozen=True, slots=True)
class Rounded:
    """An order after rounding: `reason` says why it cannot be sent (None when it can)."""

    quantity: Decimal
    price: Decimal | None
    reason: str | None = None


def _to_step(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    if step <= 0:
        return value
    return (value / step).to_integral_value(rounding=rounding) * step


def round_order(
    filters: MarketFilters,
    side: str,
    quantity: Decimal,
    *,
    price: Decimal | None = None,
    reference_price: Decimal | None = None,
) -> Rounded:
    """Round an order to `filters` and check its minimums.

    Quantity rounds down to the step (never more than asked); a limit `price` rounds to the
    tick in the order's favour of being passive (buy down, sell up). The notional is checked
    at `price`, else at `reference_price` (for market orders).

    Returns
    -------
    Rounded
        The rounded order, with `reason` set when it falls below a minimum or the market is
        refused (`MarketFilters.refusal`).
    """
    if filters.refusal is not None:
        return Rounded(quantity, price, filters.refusal)
    qty = _to_step(quantity, filters.step_size, ROUND_FLOOR).normalize()
    rounded_price = None
    if price is not None:
        rounding = ROUND_FLOOR if side == "buy" else ROUND_CEILING
        rounded_price = _to_step(price, filters.tick_size, rounding).normalize()
        if rounded_price <= 0:
            return Rounded(qty, rounded_price, f"price {price} is below the tick size")
    if qty <= 0 or qty < filters.min_quantity:
        return Rounded(
            qty,
            rounded_price,
            f"quantity {quantity} is below the minimum "
            f"{filters.min_quantity} (step {filters.step_size})",
        )
    at = rounded_price if rounded_price is not None else reference_price
    if at is not None and qty * at < filters.min_notional:
        return Rounded(
            qty, rounded_price, f"notional {qty * at} is below the minimum {filters.min_notional}"
        )
    return Rounded(qty, rounded_price)
