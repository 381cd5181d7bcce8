"""Position arithmetic (pure): average cost, signed quantities, realised PnL per fill.

A position is (`quantity`, `cost`): signed quantity (negative = short) and signed cost basis.
Keeping the cost rather than an average price keeps everything exact; the part of the cost a
reducing fill removes is rounded to `COST_QUANTUM`, and the journal posts that same amount, so
the books balance to the last digit whatever the rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

COST_QUANTUM = Decimal("1E-12")


@dataclass(frozen=True, slots=True)
class PositionState:
    """A position: signed `quantity`, signed `cost` basis and cumulative `realized_pnl`."""

    quantity: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    realized_pnl: Decimal = Decimal(0)

    @property
    def avg_entry_price(self) -> Decimal:
        """Return the average entry price (0 when flat)."""
        if self.quantity == 0:
            return Decimal(0)
        return (self.cost / self.quantity).quantize(COST_QUANTUM, ROUND_HALF_EVEN)

    def unrealized_pnl(self, mark: Decimal) -> Decimal:
        """Return the open PnL at price `mark`."""
        return self.quantity * mark - self.cost


@dataclass(frozen=True, slots=True)
class FillEffect:
    """What one fill does: the new position, the change of cost basis, the realised PnL."""

    position: PositionState
    cost_change: Decimal
    realized: Decimal


def apply_fill(state: PositionState, side: str, quantity: Decimal, price: Decimal) -> FillEffect:
    """Return the effect of filling `quantity` at `price` on `state` (``side`` buy or sell).

    Parameters
    ----------
    state
        The position before the fill.
    side
        ``buy`` adds to the signed quantity, ``sell`` subtracts.
    quantity, price
        The fill's (positive) quantity and price.
    """
    delta = quantity if side == "buy" else -quantity
    qty, cost = state.quantity, state.cost
    if qty == 0 or (qty > 0) == (delta > 0):
        added = delta * price
        new = PositionState(qty + delta, cost + added, state.realized_pnl)
        return FillEffect(new, added, Decimal(0))
    closed = min(quantity, abs(qty))
    if closed == abs(qty):
        removed = cost
    else:
        removed = (cost * closed / abs(qty)).quantize(COST_QUANTUM, ROUND_HALF_EVEN)
    sign = Decimal(1) if qty > 0 else Decimal(-1)
    realized = sign * closed * price - removed
    rest = quantity - closed
    opened = (-sign) * rest * price
    new = PositionState(qty + delta, cost - removed + opened, state.realized_pnl + realized)
    return FillEffect(new, opened - removed, realized)


def fill_amounts(
    symbol: str, side: str, quantity: Decimal, price: Decimal, fee: Decimal, fee_currency: str
) -> tuple[Decimal, Decimal]:
    """Return a fill's fee valued in the quote currency and the base quantity it moves.

    A fee charged in the base currency is taken from the base bought (added to the base
    sold); a fee in a third currency is not valued (0).
    """
    base, quote = symbol.split("/")
    if fee_currency == quote:
        return fee, quantity
    if fee_currency == base:
        return fee * price, quantity - fee if side == "buy" else quantity + fee
    return Decimal(0), quantity
