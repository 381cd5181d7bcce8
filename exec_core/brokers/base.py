"""The `Broker` protocol every broker (paper, live) implements, and what it returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from exec_core.positions.filters import MarketFilters
from signal_schema.market import Bar
from signal_schema.orders import (
    CancelOrder,
    OrderAccepted,
    OrderCanceled,
    OrderFilled,
    OrderRejected,
    SubmitOrder,
)

BrokerEvent = OrderAccepted | OrderRejected | OrderCanceled | OrderFilled
"""What brokers produce; `exec_core.ledger.Ledger.record` takes each of them."""


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """An order the ledger believes is still open (for restore and reconciliation).

    `trade_ids` are the venue trade ids of its fills the ledger has recorded already.
    """

    order: SubmitOrder
    venue_order_id: str | None
    filled_quantity: Decimal
    trade_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """The outcome of comparing our books with the venue.

    Attributes
    ----------
    events
        Events we had missed (fills, acceptances, cancels): record them in the ledger.
    mismatches
        Differences that remain; the broker refuses to trade while there are any.
    """

    events: list[BrokerEvent] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether our books and the venue agree."""
        return not self.mismatches


class Broker(Protocol):
    """Sends orders and reports what happens to them as events (never raises for a refusal).

    The caller persists every order (`Ledger.record_order`) before `submit`, and records
    every returned event (`Ledger.record`) before publishing it.
    """

    venue: str

    def filters(self, symbol: str) -> MarketFilters | None:
        """Return the venue's filters for `symbol`; None when the broker imposes none.

        A symbol the venue does not list (or whose markets are not loaded) gets filters
        whose `MarketFilters.refusal` says so.
        """
        ...

    async def submit(self, order: SubmitOrder) -> list[BrokerEvent]:
        """Send `order`; return its acceptance or rejection and any immediate fills."""
        ...

    async def cancel(self, command: CancelOrder) -> list[BrokerEvent]:
        """Cancel an open order; return the cancel (and any fills found first)."""
        ...

    async def on_bar(self, bar: Bar) -> list[BrokerEvent]:
        """Advance on a closed bar: paper fills, live order polling."""
        ...

    async def reconcile(
        self, open_orders: Sequence[OpenOrder], expected_balances: Mapping[str, Decimal]
    ) -> ReconcileReport:
        """Compare open orders and balances with the venue (see `ReconcileReport`).

        Parameters
        ----------
        open_orders
            The ledger's non-terminal orders (`Ledger.orders(open_only=True)`).
        expected_balances
            What the wallet should hold *after* the report's events are recorded
            (`Ledger.wallet_balances()` plus those events); the broker recomputes it.
        """
        ...
