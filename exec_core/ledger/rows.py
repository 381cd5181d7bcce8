"""Row helpers of the ledger: records it returns, and reads/writes inside a transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, RowMapping, bindparam, insert, update

from exec_core.ledger.accounting import PositionState
from exec_core.ledger.schema import orders, positions
from signal_schema.orders import OrderFilled


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """An order as the ledger knows it."""

    client_order_id: str
    venue: str
    symbol: str
    side: str
    order_type: str
    quantity: Decimal
    limit_price: Decimal | None
    status: str
    venue_order_id: str | None
    filled_quantity: Decimal
    signal_id: str | None
    created_at: datetime
    model: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PositionRecord:
    """A position as the ledger keeps it (see `PositionState`).

    `best_price` is the highest price since it opened (lowest for a short): set to the
    opening fill's price, raised by `Ledger.save_best_price`, None once flat.
    """

    venue: str
    symbol: str
    state: PositionState
    updated_at: datetime
    best_price: Decimal | None = None


def order_record(row: RowMapping) -> OrderRecord:
    """Return an `orders` row as an `OrderRecord`."""
    data = dict(row)
    return OrderRecord(**{k: data[k] for k in OrderRecord.__slots__})


# Built once: statements with bound parameters skip re-building and re-compiling per fill.
_INSERT_POSITION = insert(positions)
_UPDATE_POSITION = update(positions).where(
    positions.c.venue == bindparam("key_venue"), positions.c.symbol == bindparam("key_symbol")
)  # SET columns come from the parameters' other keys
_PROGRESS_ORDER = update(orders).where(orders.c.client_order_id == bindparam("key_id"))


def save_position(conn: Connection, record: PositionRecord, *, new: bool) -> None:
    """Insert (`new`) or update one position row."""
    venue, symbol, state = record.venue, record.symbol, record.state
    values = {
        "quantity": state.quantity,
        "cost": state.cost,
        "realized_pnl": state.realized_pnl,
        "updated_at": record.updated_at,
        "best_price": record.best_price,
    }
    if new:
        conn.execute(_INSERT_POSITION, {"venue": venue, "symbol": symbol, **values})
    else:
        conn.execute(_UPDATE_POSITION, {"key_venue": venue, "key_symbol": symbol, **values})


def best_after(
    before: PositionRecord | None, after: PositionState, price: Decimal
) -> Decimal | None:
    """Return a position's best price after a fill at `price` that leaves it at `after`.

    None when flat; the fill's price when it opens or flips the position (a stale best of an
    earlier position never carries over); otherwise the best price it had.
    """
    if after.quantity == 0:
        return None
    if before is None or before.best_price is None:
        return price
    held = before.state.quantity
    return price if held == 0 or (held > 0) != (after.quantity > 0) else before.best_price


def progress_order(conn: Connection, fill: OrderFilled) -> dict[str, object]:
    """Move an order's filled quantity and status on by one fill; return what changed."""
    changes: dict[str, object] = {
        "filled_quantity": fill.cumulative_quantity,
        "venue_order_id": fill.venue_order_id,
        "status": "filled" if fill.leaves_quantity == 0 else "partially_filled",
    }
    conn.execute(
        _PROGRESS_ORDER,
        {"key_id": fill.client_order_id, "updated_at": fill.ts_event, **changes},
    )
    return changes
