"""Every recorded fill in order, with its order's model and horizon and what it did.

A restart rebuilds what exec_core kept in memory about its fills (which model owns a
holding, each model's realised PnL, when a position's horizon ends) by walking this history:
the same fills, in the same order, through the same position arithmetic as when they were
recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from exec_core.ledger.accounting import PositionState, apply_fill, fill_amounts
from exec_core.ledger.schema import fills, orders
from exec_core.ledger.store import Ledger

_HISTORY = (
    select(
        fills.c.client_order_id, fills.c.venue, fills.c.symbol, fills.c.side,
        fills.c.quantity, fills.c.price, fills.c.fee, fills.c.fee_currency,
        orders.c.model, orders.c.expires_at,
    )
    .select_from(fills.outerjoin(orders, fills.c.client_order_id == orders.c.client_order_id))
    .order_by(fills.c.id)
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PastFill:
    """One recorded fill and its effect.

    Attributes
    ----------
    realized
        The realised PnL the ledger booked for it (before fees).
    position
        The venue's position in `symbol` right after it.
    model, expires_at
        Its order's model and horizon end (None: not recorded).
    """

    client_order_id: str
    venue: str
    symbol: str
    side: str
    fee: Decimal
    fee_currency: str
    realized: Decimal
    position: PositionState
    model: str | None
    expires_at: datetime | None


def fill_history(ledger: Ledger) -> Iterator[PastFill]:
    """Yield the ledger's fills, oldest first, replayed through `apply_fill`."""
    held: dict[tuple[str, str], PositionState] = {}
    with ledger.engine.connect() as conn:
        rows = conn.execute(_HISTORY).all()
    for r in rows:
        _, base_qty = fill_amounts(r.symbol, r.side, r.quantity, r.price, r.fee, r.fee_currency)
        key = (r.venue, r.symbol)
        effect = apply_fill(held.get(key, PositionState()), r.side, base_qty, r.price)
        held[key] = effect.position
        yield PastFill(
            r.client_order_id, r.venue, r.symbol, r.side, r.fee, r.fee_currency,
            effect.realized, effect.position, r.model, r.expires_at,
        )  # fmt: skip
