"""The risk gate's view of the account, read from the ledger and marked at bar closes."""

from __future__ import annotations

from decimal import Decimal

from exec_core.ledger import Ledger, PastFill, PositionRecord, fill_history
from exec_core.ledger.journal import cash_account

ZERO = Decimal(0)


class LedgerBook:
    """Cash and holdings from `Ledger`; marks from bars; realized P&L attributed to models.

    Implements `exec_core.risk.Book`. The ledger is the single truth for cash and positions;
    this object adds marks (latest closes) and attributes holdings and realised PnL to models.
    Attribution is rebuilt at construction by replaying the ledger's fills (`fill_history`:
    each order keeps the model that placed it), so a restart resumes every model's equity
    curve where it stopped; fills of orders recorded without a model go to the holding's
    owner, as they did live.

    Parameters
    ----------
    ledger
        The ledger every fill is recorded in *before* `fill` is called.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.marks: dict[str, Decimal] = {}
        self.owners: dict[str, str] = {}
        self.model_realized: dict[str, Decimal] = {}
        self._realized = {p.symbol: p.state.realized_pnl for p in self._positions(True)}
        held: dict[tuple[str, str], Decimal] = {}
        for past in fill_history(ledger):
            held[(past.venue, past.symbol)] = past.position.quantity
            self._replay(past, sum((q for (_, s), q in held.items() if s == past.symbol), ZERO))

    def _replay(self, past: PastFill, quantity_after: Decimal) -> None:
        """Attribute one recorded fill as `fill` did (`quantity_after`: all venues)."""
        owner = self.owners.setdefault(past.symbol, past.model or self.owner(past.symbol))
        if past.side == "buy":
            return
        fee = past.fee if past.fee_currency == self.ledger.quote_currency else ZERO
        self.model_realized[owner] = self.model_realized.get(owner, ZERO) + past.realized - fee
        if quantity_after <= 0:
            self.owners.pop(past.symbol, None)

    def _positions(self, include_flat: bool = False) -> list[PositionRecord]:
        return self.ledger.positions(include_flat=include_flat)

    def mark(self, symbol: str, price: Decimal) -> None:
        """Record `symbol`'s latest close."""
        self.marks[symbol] = price

    def fill(
        self, symbol: str, side: str, quantity: Decimal, price: Decimal, fee: Decimal, model: str
    ) -> Decimal:
        """Return the realized P&L (net of `fee` on a sell) the ledger booked for this fill."""
        self.marks.setdefault(symbol, price)
        owner = self.owners.setdefault(symbol, model)
        now = sum((p.state.realized_pnl for p in self._positions(True) if p.symbol == symbol), ZERO)
        realized = now - self._realized.get(symbol, ZERO)
        self._realized[symbol] = now
        if side == "buy":
            return ZERO
        realized -= fee
        self.model_realized[owner] = self.model_realized.get(owner, ZERO) + realized
        if self.quantity(symbol) <= 0:
            self.owners.pop(symbol, None)
        return realized

    def cash(self) -> Decimal:
        """Return the quote cash the ledger holds."""
        return self.ledger.balances().get(cash_account(self.ledger.quote_currency), ZERO)

    def _value(self, record: PositionRecord) -> Decimal:
        return record.state.quantity * self.marks.get(record.symbol, record.state.avg_entry_price)

    def exposure(self, symbol: str) -> Decimal:
        """Return `symbol`'s notional at its latest mark (all venues)."""
        return sum((self._value(p) for p in self._positions() if p.symbol == symbol), ZERO)

    def gross_exposure(self) -> Decimal:
        """Return the absolute notional of every holding at its mark."""
        return sum((abs(self._value(p)) for p in self._positions()), ZERO)

    def equity(self) -> Decimal:
        """Return cash plus holdings at their marks."""
        return self.cash() + sum((self._value(p) for p in self._positions()), ZERO)

    def model_pnl(self, model: str) -> Decimal:
        """Return `model`'s realized plus unrealized P&L."""
        unrealized = sum(
            (
                p.state.unrealized_pnl(self.marks.get(p.symbol, p.state.avg_entry_price))
                for p in self._positions()
                if self.owners.get(p.symbol, "unknown") == model
            ),
            ZERO,
        )
        return self.model_realized.get(model, ZERO) + unrealized

    def owner(self, symbol: str) -> str:
        """Return the model that opened the holding of `symbol` (``unknown`` if none)."""
        return self.owners.get(symbol, "unknown")

    def models(self) -> set[str]:
        """Return the models that own an open holding."""
        return {self.owners.get(p.symbol, "unknown") for p in self._positions()}

    def quantity(self, symbol: str) -> Decimal:
        """Return the quantity held of `symbol` (all venues)."""
        return sum((p.state.quantity for p in self._positions() if p.symbol == symbol), ZERO)
