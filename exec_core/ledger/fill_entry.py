"""What one fill writes: its ``fills`` row and its balanced journal transaction."""

from __future__ import annotations

from decimal import Decimal

from exec_core.ledger.accounting import FillEffect
from exec_core.ledger.journal import (
    FEES,
    REALIZED_PNL,
    Posting,
    Transaction,
    cash_account,
    position_account,
)
from signal_schema.orders import OrderFilled


def fill_values(fill: OrderFilled, fee_quote: Decimal) -> dict[str, object]:
    """Return the ``fills`` row of `fill` (`fee_quote`: its fee valued in the quote)."""
    return {
        "venue": fill.venue,
        "trade_id": fill.trade_id,
        "client_order_id": fill.client_order_id,
        "symbol": fill.symbol,
        "side": fill.side,
        "quantity": fill.last_quantity,
        "price": fill.last_price,
        "fee": fill.fee,
        "fee_currency": fill.fee_currency,
        "fee_quote": fee_quote,
        "liquidity": fill.liquidity,
        "ts": fill.ts_event,
    }


def fill_transaction(fill: OrderFilled, effect: FillEffect, fee_quote: Decimal) -> Transaction:
    """Return the journal transaction of `fill`: position cost, cash, fees, realised PnL."""
    quote = fill.symbol.split("/")[1]
    qty, price = fill.last_quantity, fill.last_price
    cash_fee = fill.fee if fill.fee_currency == quote else Decimal(0)
    cash = -qty * price if fill.side == "buy" else qty * price
    return Transaction(
        f"fill:{fill.venue}:{fill.trade_id}",
        fill.ts_event,
        "fill",
        f"{fill.side} {qty} {fill.symbol} @ {price} ({fill.client_order_id})",
        (
            Posting(position_account(fill.symbol), effect.cost_change),
            Posting(cash_account(quote), cash - cash_fee),
            Posting(FEES, fee_quote),
            Posting(REALIZED_PNL, -effect.realized),
        ),
    )
