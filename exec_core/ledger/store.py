"""`Ledger`: orders, fills, positions and the journal in one database, written atomically.

Every fill is one database transaction: the fill row, the order's progress, the position and a
balanced journal transaction; a fill seen twice (same venue and trade id) is ignored, so events
can be replayed after a crash or a reconciliation without double counting.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from exec_core.ledger.accounting import PositionState, apply_fill, fill_amounts
from exec_core.ledger.cache import TERMINAL, LedgerCache
from exec_core.ledger.fill_entry import fill_transaction, fill_values
from exec_core.ledger.journal import EQUITY, Journal, Posting, Transaction, cash_account
from exec_core.ledger.migrate import open_engine, upgrade
from exec_core.ledger.rows import (
    OrderRecord,
    PositionRecord,
    best_after,
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

_INSERT_ORDER = insert(orders)
_INSERT_FILL = insert(fills)
_UPDATE_ORDER = update(orders).where(orders.c.client_order_id == bindparam("key_id"))
_UPDATE_BEST = update(positions).where(
    positions.c.venue == bindparam("key_venue"), positions.c.symbol == bindparam("key_symbol")
)
OrderEvent = OrderAccepted | OrderRejected | OrderCanceled | OrderFilled


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

    Reads (`balances`, `positions`, `orders`) come from a `LedgerCache` loaded once and kept
    current by this object's own writes: the holder of a `Ledger` must be its database's only
    writer (exec_core is); other processes open their own.
    """

    def __init__(
        self, engine: Engine, *, quote_currency: str = "USDT", trade_log_dir: Path | None = None
    ) -> None:
        self.engine = engine
        self.quote_currency = quote_currency
        self._trade_log = TradeLog(trade_log_dir) if trade_log_dir is not None else None
        self._cache: LedgerCache | None = None

    @classmethod
    def open(
        cls,
        url: str,
        *,
        quote_currency: str = "USDT",
        trade_log_dir: Path | None = None,
        durable: bool = True,
    ) -> Ledger:
        """Open the ledger at `url` and run its migrations to the newest schema.

        ``durable=False`` stops SQLite from syncing each commit to disk (a simulated run that
        dies is simply run again); a live ledger keeps full sync to survive SIGKILL.
        """
        engine = open_engine(url, durable=durable)
        upgrade(engine)
        return cls(engine, quote_currency=quote_currency, trade_log_dir=trade_log_dir)

    @property
    def cache(self) -> LedgerCache:
        """The committed views, loaded on first use."""
        if self._cache is None:
            with self.engine.connect() as conn:
                self._cache = LedgerCache.load(conn)
        return self._cache

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def deposit(self, amount: Decimal, ts: datetime, txn_id: str, memo: str = "deposit") -> None:
        """Pay `amount` of quote cash in (a withdrawal when negative); `txn_id` is unique."""
        cache = self.cache
        transaction = Transaction(
            txn_id,
            ts,
            "deposit",
            memo,
            (Posting(cash_account(self.quote_currency), amount), Posting(EQUITY, -amount)),
        )
        with self.engine.begin() as conn:
            Journal(conn).post(transaction)
        cache.post(transaction.postings)

    def record_order(
        self, order: SubmitOrder, *, model: str | None = None, expires_at: datetime | None = None
    ) -> bool:
        """Write `order` as ``submitted`` before it is sent; False when it is already known.

        `model` placed it and `expires_at` ends its signal's horizon: kept so that a restart
        attributes its fills and closes its position on time.
        """
        cache = self.cache
        if order.client_order_id in cache.orders:
            return False
        record = OrderRecord(
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
            created_at=order.ts_event,
            model=model,
            expires_at=expires_at,
        )
        with self.engine.begin() as conn:
            conn.execute(
                _INSERT_ORDER,
                {**asdict(record), "reason": None, "updated_at": order.ts_event},
            )
        cache.put_order(record)
        return True

    def record(self, event: OrderEvent) -> list[PositionChanged]:
        """Apply one broker event; return the position change a new fill causes."""
        if isinstance(event, OrderFilled):
            changed = self._record_fill(event)
            return [] if changed is None else [changed]
        cache = self.cache
        current = cache.orders.get(event.client_order_id)
        if current is None or current.status in TERMINAL:
            return []
        values: dict[str, object] = {}
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
        with self.engine.begin() as conn:
            conn.execute(
                _UPDATE_ORDER,
                {"key_id": event.client_order_id, "updated_at": event.ts_event, **values},
            )
        values.pop("reason", None)
        cache.put_order(replace(current, **values))  # type: ignore[arg-type]
        return []

    def _record_fill(self, fill: OrderFilled) -> PositionChanged | None:
        cache = self.cache
        price = fill.last_price
        fee_quote, base_qty = fill_amounts(
            fill.symbol, fill.side, fill.last_quantity, price, fill.fee, fill.fee_currency
        )
        held = cache.positions.get((fill.venue, fill.symbol))
        effect = apply_fill(
            PositionState() if held is None else held.state, fill.side, base_qty, price
        )
        position = PositionRecord(
            fill.venue, fill.symbol, effect.position, fill.ts_event,
            best_after(held, effect.position, price),
        )  # fmt: skip
        transaction = fill_transaction(fill, effect, fee_quote)
        try:
            with self.engine.begin() as conn:
                # first: a fill seen before breaks its unique key, nothing is written
                conn.execute(_INSERT_FILL, fill_values(fill, fee_quote))
                Journal(conn).post(transaction)
                save_position(conn, position, new=held is None)
                progressed = progress_order(conn, fill)
        except IntegrityError:
            if self._fill_known(fill):
                return None
            raise
        cache.post(transaction.postings)
        cache.put_position(position)
        cache.fill_count += 1
        order = cache.orders.get(fill.client_order_id)
        if order is not None:
            cache.put_order(replace(order, **progressed))  # type: ignore[arg-type]
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

    def save_best_price(self, venue: str, symbol: str, price: Decimal) -> None:
        """Record a new best price of the open position of `symbol` on `venue`."""
        held = self.cache.positions.get((venue, symbol))
        if held is None or held.state.quantity == 0 or held.best_price == price:
            return
        with self.engine.begin() as conn:
            conn.execute(
                _UPDATE_BEST, {"key_venue": venue, "key_symbol": symbol, "best_price": price}
            )
        self.cache.put_position(replace(held, best_price=price))

    def orders(self, *, open_only: bool = False) -> list[OrderRecord]:
        """Return the orders, oldest first; only those not yet terminal with `open_only`."""
        cache = self.cache
        chosen = cache.open_orders if open_only else cache.orders
        return sorted(chosen.values(), key=lambda o: (o.created_at, o.client_order_id))

    def order(self, client_order_id: str) -> OrderRecord | None:
        """Return one order, None when unknown."""
        return self.cache.orders.get(client_order_id)

    def positions(self, *, include_flat: bool = False) -> list[PositionRecord]:
        """Return the positions (non-zero ones unless `include_flat`), by venue and symbol."""
        records = sorted(self.cache.positions.items())
        return [p for _, p in records if include_flat or p.state.quantity != 0]

    def _fill_known(self, fill: OrderFilled) -> bool:
        query = select(fills.c.id).where(
            fills.c.venue == fill.venue, fills.c.trade_id == fill.trade_id
        )
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def trade_ids(self, client_order_id: str) -> frozenset[str]:
        """Return the venue trade ids of the fills recorded for one order."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(fills.c.trade_id).where(fills.c.client_order_id == client_order_id)
            )
            return frozenset(str(r.trade_id) for r in rows)

    def balances(self) -> dict[str, Decimal]:
        """Return every journal account's balance (accounts never posted to are absent)."""
        return dict(self.cache.balances)

    def fill_count(self) -> int:
        """Return how many fills the ledger holds."""
        return self.cache.fill_count

    def wallet_balances(self) -> dict[str, Decimal]:
        """Return what the venue wallet should hold: quote cash plus each base's quantity."""
        cash = self.balances().get(cash_account(self.quote_currency), Decimal(0))
        totals = {self.quote_currency: cash}
        for record in self.positions(include_flat=True):
            base = record.symbol.split("/")[0]
            totals[base] = totals.get(base, Decimal(0)) + record.state.quantity
        return totals
