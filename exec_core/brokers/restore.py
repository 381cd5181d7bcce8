"""Rebuild brokers' view of open orders from the ledger after a restart."""

from __future__ import annotations

from exec_core.brokers.base import OpenOrder
from exec_core.ledger import Ledger
from signal_schema.orders import SubmitOrder


def open_orders_of(ledger: Ledger) -> list[OpenOrder]:
    """Return the ledger's non-terminal orders as `OpenOrder` (for `Broker.reconcile`)."""
    result: list[OpenOrder] = []
    for record in ledger.orders(open_only=True):
        order = SubmitOrder(
            ts_event=record.created_at,
            ts_init=record.created_at,
            client_order_id=record.client_order_id,
            venue=record.venue,
            symbol=record.symbol,
            side=record.side,  # type: ignore[arg-type]
            order_type=record.order_type,  # type: ignore[arg-type]
            quantity=record.quantity,
            limit_price=record.limit_price,
            signal_id=record.signal_id,
        )
        result.append(
            OpenOrder(
                order,
                record.venue_order_id,
                record.filled_quantity,
                ledger.trade_ids(record.client_order_id),
            )
        )
    return result
