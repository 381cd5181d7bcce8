"""Turn ccxt orders and trades into exec_core's order events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from exec_core.brokers.base import BrokerEvent
from signal_schema.orders import OrderAccepted, OrderCanceled, OrderFilled, SubmitOrder
from venue_adapter.decimals import decimal_or_zero

CLOSED_BADLY = frozenset({"canceled", "expired", "rejected"})


def ms_time(ms: object, default: datetime) -> datetime:
    """Return a ccxt millisecond timestamp as UTC (`default` when missing)."""
    return default if ms is None else datetime.fromtimestamp(int(str(ms)) / 1000, UTC)


def accepted(
    order: SubmitOrder, venue: str, raw: Mapping[str, Any], now: datetime
) -> OrderAccepted:
    """Return the acceptance of `order` from ccxt's order `raw`."""
    return OrderAccepted(
        ts_event=ms_time(raw.get("timestamp"), now),
        ts_init=now,
        client_order_id=order.client_order_id,
        venue_order_id=str(raw["id"]),
        venue=venue,
        symbol=order.symbol,
    )


def fill_events(
    order: SubmitOrder,
    venue: str,
    trades: list[dict[str, Any]],
    seen: set[str],
    already: Decimal,
    now: datetime,
) -> tuple[list[BrokerEvent], Decimal]:
    """Return `OrderFilled` for each trade not in `seen` (updated), and the new filled total."""
    events: list[BrokerEvent] = []
    filled = already
    for trade in sorted(trades, key=lambda t: (t.get("timestamp") or 0, str(t["id"]))):
        trade_id = str(trade["id"])
        if trade_id in seen:
            continue
        seen.add(trade_id)
        qty = decimal_or_zero(trade["amount"], "trade amount")
        filled += qty
        fee = trade.get("fee") or {}
        events.append(
            OrderFilled(
                ts_event=ms_time(trade.get("timestamp"), now),
                ts_init=now,
                client_order_id=order.client_order_id,
                venue_order_id=str(trade["order"]),
                trade_id=trade_id,
                venue=venue,
                symbol=order.symbol,
                side=order.side,
                last_quantity=qty,
                last_price=decimal_or_zero(trade["price"], "trade price"),
                cumulative_quantity=filled,
                leaves_quantity=max(order.quantity - filled, Decimal(0)),
                fee=decimal_or_zero(fee.get("cost"), "fee"),
                fee_currency=str(fee.get("currency") or order.symbol.split("/")[1]),
                liquidity="maker" if trade.get("takerOrMaker") == "maker" else "taker",
            )
        )
    return events, filled


def canceled(
    order: SubmitOrder,
    venue: str,
    venue_order_id: str | None,
    filled: Decimal,
    reason: str,
    now: datetime,
) -> OrderCanceled:
    """Return the cancel of `order` after `filled` was filled."""
    return OrderCanceled(
        ts_event=now,
        ts_init=now,
        client_order_id=order.client_order_id,
        venue_order_id=venue_order_id,
        venue=venue,
        symbol=order.symbol,
        filled_quantity=filled,
        reason=reason,
    )


def apply_to_balances(balances: dict[str, Decimal], event: BrokerEvent) -> None:
    """Move `balances` by what a fill does to the wallet (other events change nothing)."""
    if not isinstance(event, OrderFilled):
        return
    base, quote = event.symbol.split("/")
    sign = 1 if event.side == "buy" else -1
    balances[base] = balances.get(base, Decimal(0)) + sign * event.last_quantity
    balances[quote] = (
        balances.get(quote, Decimal(0)) - sign * event.last_quantity * event.last_price
    )
    if event.fee_currency in (base, quote):
        balances[event.fee_currency] -= event.fee
