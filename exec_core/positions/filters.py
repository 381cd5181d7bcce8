"""Round orders to a venue's filters (`venue_adapter.filters.MarketFilters`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from venue_adapter.filters import MarketFilters

__all__ = ["MarketFilters", "Rounded", "round_order"]


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
