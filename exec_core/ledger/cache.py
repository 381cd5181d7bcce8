"""What the ledger reads most, kept in memory and updated as each write commits.

The risk gate and the per-bar snapshot ask for balances, positions and open orders several
times per bar; each was a full table scan, so a run got slower with every fill. The process
that holds a `Ledger` is the only writer of its database (exec_core), so the ledger loads each
view once and then applies its own committed writes to it; another process (``ntx pnl``)
opens its own `Ledger` and reads the database afresh. A failed transaction changes nothing:
updates are applied only after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, func, select

from exec_core.ledger.accounting import PositionState
from exec_core.ledger.journal import Journal, Posting
from exec_core.ledger.rows import OrderRecord, PositionRecord, order_record
from exec_core.ledger.schema import fills, orders, positions

TERMINAL = frozenset({"filled", "canceled", "rejected"})
"""Order statuses after which nothing more happens."""


@dataclass
class LedgerCache:
    """Balances, positions, orders and the fill count as last committed."""

    balances: dict[str, Decimal] = field(default_factory=dict)
    positions: dict[tuple[str, str], PositionRecord] = field(default_factory=dict)
    orders: dict[str, OrderRecord] = field(default_factory=dict)
    open_orders: dict[str, OrderRecord] = field(default_factory=dict)
    fill_count: int = 0

    @classmethod
    def load(cls, conn: Connection) -> LedgerCache:
        """Read every view from the database once."""
        cache = cls(balances=Journal(conn).balances())
        query = select(positions).order_by(positions.c.venue, positions.c.symbol)
        for r in conn.execute(query):
            state = PositionState(r.quantity, r.cost, r.realized_pnl)
            cache.positions[(r.venue, r.symbol)] = PositionRecord(
                r.venue, r.symbol, state, r.updated_at, r.best_price
            )
        query = select(orders).order_by(orders.c.created_at, orders.c.client_order_id)
        for row in conn.execute(query):
            cache.put_order(order_record(row._mapping))
        cache.fill_count = int(conn.execute(select(func.count()).select_from(fills)).scalar_one())
        return cache

    def post(self, postings: tuple[Posting, ...]) -> None:
        """Add a committed transaction's postings to the balances."""
        for posting in postings:
            if posting.amount != 0:
                self.balances[posting.account] = (
                    self.balances.get(posting.account, Decimal(0)) + posting.amount
                )

    def put_order(self, record: OrderRecord) -> None:
        """Store an order as committed (new or progressed)."""
        self.orders[record.client_order_id] = record
        if record.status in TERMINAL:
            self.open_orders.pop(record.client_order_id, None)
        else:
            self.open_orders[record.client_order_id] = record

    def put_position(self, record: PositionRecord) -> None:
        """Store a position as committed."""
        self.positions[(record.venue, record.symbol)] = record
