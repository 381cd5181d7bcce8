"""The risk gate's own view of the account, rebuilt from fills and bar closes (spot, long only)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(slots=True)
class Holding:
    """One symbol's long position and the model that opened it."""

    quantity: Decimal = ZERO
    avg_price: Decimal = ZERO
    model: str = ""


class RiskBook:
    """Cash, holdings, marks and per-model realized P&L, in the quote currency.

    Parameters
    ----------
    cash
        Starting cash.
    """

    def __init__(self, cash: Decimal) -> None:
        self.cash = cash
        self.holdings: dict[str, Holding] = {}
        self.marks: dict[str, Decimal] = {}
        self.model_realized: dict[str, Decimal] = {}

    def mark(self, symbol: str, price: Decimal) -> None:
        """Record `symbol`'s latest close."""
        self.marks[symbol] = price

    def fill(
        self, symbol: str, side: str, quantity: Decimal, price: Decimal, fee: Decimal, model: str
    ) -> Decimal:
        """Apply one fill; return the realized P&L it locked in (0 for a buy)."""
        holding = self.holdings.setdefault(symbol, Holding(model=model))
        self.marks.setdefault(symbol, price)
        if side == "buy":
            cost = holding.avg_price * holding.quantity + price * quantity
            holding.quantity += quantity
            holding.avg_price = cost / holding.quantity
            holding.model = holding.model or model
            self.cash -= price * quantity + fee
            return ZERO
        sold = min(quantity, holding.quantity)
        realized = (price - holding.avg_price) * sold - fee
        holding.quantity -= sold
        self.cash += price * sold - fee
        owner = holding.model or model
        self.model_realized[owner] = self.model_realized.get(owner, ZERO) + realized
        if holding.quantity <= 0:
            del self.holdings[symbol]
        return realized

    def exposure(self, symbol: str) -> Decimal:
        """Return `symbol`'s notional at its latest mark."""
        holding = self.holdings.get(symbol)
        if holding is None:
            return ZERO
        return holding.quantity * self.marks.get(symbol, holding.avg_price)

    def gross_exposure(self) -> Decimal:
        """Return the notional of every holding at its mark."""
        return sum((self.exposure(s) for s in self.holdings), ZERO)

    def equity(self) -> Decimal:
        """Return cash plus holdings at their marks."""
        return self.cash + self.gross_exposure()

    def model_pnl(self, model: str) -> Decimal:
        """Return `model`'s realized plus unrealized P&L."""
        unrealized = sum(
            (
                (self.marks.get(s, h.avg_price) - h.avg_price) * h.quantity
                for s, h in self.holdings.items()
                if h.model == model
            ),
            ZERO,
        )
        return self.model_realized.get(model, ZERO) + unrealized

    def quantity(self, symbol: str) -> Decimal:
        """Return the quantity held of `symbol`."""
        holding = self.holdings.get(symbol)
        return ZERO if holding is None else holding.quantity
