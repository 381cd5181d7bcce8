"""exec_core's read-only ledger routes: ``/api/positions``, ``/api/orders``, ``/api/portfolio``.

Money is sent as decimal strings, never floats.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from exec_core.ledger import OrderRecord, PositionRecord, pnl, snapshot
from exec_core.trading import Trader


def _position(record: PositionRecord, marks: dict[str, Any]) -> dict[str, Any]:
    state = record.state
    mark = marks.get(record.symbol)
    return {
        "venue": record.venue,
        "symbol": record.symbol,
        "quantity": format(state.quantity, "f"),
        "avg_entry_price": format(state.avg_entry_price, "f"),
        "cost": format(state.cost, "f"),
        "realized_pnl": format(state.realized_pnl, "f"),
        "mark": None if mark is None else format(mark, "f"),
        "unrealized_pnl": None if mark is None else format(state.unrealized_pnl(mark), "f"),
        "updated_at": record.updated_at.isoformat(),
    }


def _order(record: OrderRecord) -> dict[str, Any]:
    return {
        "client_order_id": record.client_order_id,
        "venue": record.venue,
        "symbol": record.symbol,
        "side": record.side,
        "order_type": record.order_type,
        "quantity": format(record.quantity, "f"),
        "limit_price": None if record.limit_price is None else format(record.limit_price, "f"),
        "status": record.status,
        "venue_order_id": record.venue_order_id,
        "filled_quantity": format(record.filled_quantity, "f"),
        "signal_id": record.signal_id,
        "created_at": record.created_at.isoformat(),
    }


def books_router(trader: Trader) -> APIRouter:
    """Return the ledger routes; marks are the latest bar closes exec_core has seen."""
    router = APIRouter(tags=["exec_core"])
    ledger = trader.ledger

    @router.get("/api/positions")
    async def get_positions(include_flat: bool = False) -> list[dict[str, Any]]:
        marks = dict(trader.state.book.marks)
        return [_position(p, marks) for p in ledger.positions(include_flat=include_flat)]

    @router.get("/api/orders")
    async def get_orders(
        open_only: bool = False, limit: int = Query(default=200, ge=1, le=10_000)
    ) -> list[dict[str, Any]]:
        return [_order(o) for o in ledger.orders(open_only=open_only)[-limit:]]

    @router.get("/api/portfolio")
    async def get_portfolio() -> dict[str, Any]:
        marks = dict(trader.state.book.marks)
        now = trader.now()
        snap = snapshot(ledger, marks, now, peak_equity=trader.state.peak_equity)
        return {
            "snapshot": snap.model_dump(mode="json"),
            "pnl": pnl(ledger, marks).as_dict(),
            "halted": trader.halted,
            "ready": trader.ready.is_set(),
        }

    return router
