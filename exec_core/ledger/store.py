"""`Ledger`: orders, fills, positions and the journal in one database, written atomically.

Every fill is one database transaction: the fill row, the order's progress, the position and a
balanced journal transaction; a fill seen twice (same venue and trade id) is ignored, so events
can be replayed after a crash or a reconciliation without double counting.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, select, update

from exec_core.ledger.accounting import PositionState, apply_fill
from exec_core.ledger.journal import (
    EQUITY,
    FEES,
    REALIZED_PNL,
    Journal,
    Posting,
    Transaction,
    cash_account,
    position_account,
)
from exec_core.ledger.migrate import open_engine, upgrade
from exec_core.ledger.rows import (
    OrderRecord,
    PositionRecord,
    order_record,
    order_row,
    position_row,
    progress_order,
    save_position,
)
from exec_core.ledger.schema import fills, orders, positions
from exec_core.ledger.tradelog import TradeLog
from signal_schema.orders import (
    OrderAccepted,
    OrderCanceled,
    OrderFilled,
    OrderRejected,
    SubmitOrder,
)
from signal_schema.portfolio import PositionChanged

OrderEvent = OrderAccepted | OrderRejected | OrderCanceled | OrderFilled
TERMINAL = frozenset({"filled", "canceled", "rejected"})
"""Order statuses after which nothing more happens."""


class Ledger:
    """The exec_core ledger on one database.

    Parameters
    ----------
    engine
        An engine from `open_engine` (migrated by `Ledger.open`).
    quote_currency
        The currency of cash and of every journal amount.
    trade_log_dir
        Folder of the daily JSON-lines trade logs, None for none.
    """

    def __init__(
        self, engine: Engine, *, quote_currency: str = "USDT", trade_log_dir: Path | None = None
    ) -> None:
        self.engine = engine
        self.quote_currency = quote_currency
        self._trade_log = TradeLog(trade_log_dir) if trade_log_dir is not None else None

    @classmethod
    def open(
        cls, url: str, *, quote_currency: str = "USDT", trade_log_dir: Path | None = None
    ) -> Ledger:
        """Open the ledger at `url` and run its migrations to the newest schema."""
        engine = open_engine(url)
        upgrade(engine)
        return cls(engine, quote_currency=quote_currency, trade_log_dir=trade_log_dir)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def deposit(self, amount: Decimal, ts: datetime, txn_id: str, memo: str = "deposit") -> None:
        """Pay `amount` of quote cash in (a withdrawal when negative); `txn_id` is unique."""
        with self.engine.begin() as conn:
            Journal(conn).post(
                Transaction(
                    txn_id,
                    ts,
                    "deposit",
                    memo,
                    (Posting(cash_account(self.quote_currency), amount), Posting(EQUITY, -amount)),
                )
            )

    def record_order(self, order: SubmitOrder) -> bool:
        """Write `order` as ``submitted`` before it is sent; False when it is already known."""
        with self.engine.begin() as conn:
            if order_row(conn, order.client_order_id) is not None:
                return False
            conn.execute(
                insert(orders).values(
                    client_order_id=order.client_order_id,
                    venue=order.venue,
                    symbol=order.symbol,
                    side=order.side,
                    order_type=order.order_type,
                    quantity=order.quantity,
                    limit_price=order.limit_price,
                    status="submitted",
                    venue_order_id=None,
                    filled_quantity=Decimal(0),
                    signal_id=order.signal_id,
                    reason=None,
                    created_at=order.ts_event,
                    updated_at=order.ts_event,
                )
            )
        return True

    def record(self, event: OrderEvent) -> list[PositionChanged]:
        """Apply one broker event; return the position change a new fill causes."""
        if isinstance(event, OrderFilled):
            changed = self._record_fill(event)
            return [] if changed is None else [changed]
        with self.engine.begin() as conn:
            current = order_row(conn, event.client_order_id)
            if current is None or current.status in TERMINAL:
                return []
            values: dict[str, object] = {"updated_at": event.ts_event}
            if isinstance(event, OrderAccepted):
                values["venue_order_id"] = event.venue_order_id
                if current.status == "submitted":
                    values["status"] = "accepted"
            elif isinstance(event, OrderRejected):
                values.update(status="rejected", reason=event.reason)
            else:
                values.update(status="canceled", reason=event.reason)
                if event.venue_order_id is not None:
                    values["venue_order_id"] = event.venue_order_id
            conn.execute(
                update(orders)
                .where(orders.c.client_order_id == event.client_order_id)
                .values(**values)
            )
        return []

    def _record_fill(self, fill: OrderFilled) -> PositionChanged | None:
        base, quote = fill.symbol.split("/")
        with self.engine.begin() as conn:
            seen = conn.execute(
                select(fills.c.id).where(
                    fills.c.venue == fill.venue, fills.c.trade_id == fill.trade_id
                )
            ).first()
            if seen is not None:
                return None
            price, qty = fill.last_price, fill.last_quantity
            if fill.fee_currency == quote:
                fee_quote, base_qty = fill.fee, qty
            elif fill.fee_currency == base:
                fee_quote = fill.fee * price
                base_qty = qty - fill.fee if fill.side == "buy" else qty + fill.fee
            else:
                fee_quote, base_qty = Decimal(0), qty
            cash_fee = fill.fee if fill.fee_currency == quote else Decimal(0)
            before = position_row(conn, fill.venue, fill.symbol)
            effect = apply_fill(before, fill.side, base_qty, price)
            cash = -qty * price if fill.side == "buy" else qty * price
            Journal(conn).post(
                Transaction(
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
            )
            conn.execute(
                insert(fills).values(
                    venue=fill.venue,
                    trade_id=fill.trade_id,
                    client_order_id=fill.client_order_id,
                    symbol=fill.symbol,
                    side=fill.side,
                    quantity=qty,
                    price=price,
                    fee=fill.fee,
                    fee_currency=fill.fee_currency,
                    fee_quote=fee_quote,
                    liquidity=fill.liquidity,
                    ts=fill.ts_event,
                )
            )
            save_position(conn, fill.venue, fill.symbol, effect.position, fill.ts_event)
            progress_order(conn, fill)
        if self._trade_log is not None:
            self._trade_log.write(fill, fee_quote, effect.realized)
        after = effect.position
        return PositionChanged(
            ts_event=fill.ts_event,
            ts_init=fill.ts_init,
            venue=fill.venue,
            symbol=fill.symbol,
            quantity=after.quantity,
            avg_entry_price=abs(after.avg_entry_price),
            realized_pnl=after.realized_pnl,
            unrealized_pnl=after.unrealized_pnl(price),
        )

    def orders(self, *, open_only: bool = False) -> list[OrderRecord]:
        """Return the orders, oldest first; only those not yet terminal with `open_only`."""
        with self.engine.connect() as conn:
            query = select(orders).order_by(orders.c.created_at, orders.c.client_order_id)
            if open_only:
                query = query.where(orders.c.status.not_in(TERMINAL))
            return [order_record(row._mapping) for row in conn.execute(query)]

    def order(self, client_order_id: str) -> OrderRecord | None:
        """Return one order, None when unknown."""
        with self.engine.connect() as conn:
            return order_row(conn, client_order_id)

    def positions(self, *, include_flat: bool = False) -> list[PositionRecord]:
        """Return the positions (non-zero ones unless `include_flat`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(positions).order_by(positions.c.venue, positions.c.symbol))
            records = [
                PositionRecord(
                    r.venue,
                    r.symbol,
                    PositionState(r.quantity, r.cost, r.realized_pnl),
                    r.updated_at,
                )
                for r in rows
            ]
        return [p for p in records if include_flat or p.state.quantity != 0]

    def trade_ids(self, client_order_id: str) -> frozenset[str]:
        """Return the venue trade ids of the fills recorded for one order."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(fills.c.trade_id).where(fills.c.client_order_id == client_order_id)
            )
            return frozenset(str(r.trade_id) for r in rows)

    def balances(self) -> dict[str, Decimal]:
        """Return every journal account's balance."""
        with self.engine.connect() as conn:
            return Journal(conn).balances()

    def wallet_balances(self) -> dict[str, Decimal]:
        """Return what the venue wallet should hold: quote cash plus each base's quantity."""
        cash = self.balances().get(cash_account(self.quote_currency), Decimal(0))
        totals = {self.quote_currency: cash}
        for record in self.positions(include_flat=True):
            base = record.symbol.split("/")[0]
            totals[base] = totals.get(base, Decimal(0)) + record.state.quantity
        return totals
