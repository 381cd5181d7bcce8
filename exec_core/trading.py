"""Orders through the books: ledger first, then the broker, then the bus; exits and snapshots.

Every order is written to the ledger (`Ledger.record_order`) before the broker sees it, and
every broker event is recorded (`Ledger.record`) before it and the `PositionChanged` it
causes are published, so a crash at any point leaves the ledger ahead of the bus, never
behind it; `start` settles the ledger with the broker (`Broker.reconcile`) after a restart.

Nothing the exits need lives only in memory: each order keeps its model and horizon end in
the ledger, and a position's best price is written there when it rises while the trailing
stop is on, so `start` rebuilds the tracked positions (`tracked_positions`) as they were.
The best price is persisted rather than guessed because no guess is conservative: the entry
price or the first bar after a restart sit at or below the true best, which loosens a long's
trailing stop; with the trailing stop off it decides nothing and is not written.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal

from exec_core.brokers import Broker, BrokerEvent, open_orders_of
from exec_core.ledger import Ledger, snapshot
from exec_core.positions import (
    ExitRules,
    MarketFilters,
    NoTrade,
    PositionPolicy,
    TrackedPosition,
)
from exec_core.risk import RiskState
from exec_core.settings import ExecCoreSettings
from exec_core.tracking import tracked_positions
from signal_schema import AnyMessage, Bar, OrderFilled, RiskLimitBreached, SubmitOrder

log = logging.getLogger(__name__)
Publish = Callable[[AnyMessage], Awaitable[None]]
QUANTITY_STEP = Decimal("0.00000001")


class Trader:
    """Sends orders through the ledger and a broker; runs the exit rules on every bar.

    Parameters
    ----------
    settings
        exec_core's settings (paper/live, positions, risk's minimum notional).
    ledger
        The books (orders, fills, positions, journal).
    broker
        The paper or live broker.
    state
        The risk gate's memory: fills and marks are fed to it.
    publish
        Publishes one message on exec_core's bus.
    clock
        The decision clock (UTC).
    """

    def __init__(
        self,
        settings: ExecCoreSettings,
        ledger: Ledger,
        broker: Broker,
        state: RiskState,
        publish: Publish,
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.ledger = ledger
        self.broker = broker
        self.state = state
        self._publish = publish
        self._clock = clock
        self.policy = PositionPolicy(
            settings.positions.model_copy(update={"pairlist": settings.pairlist()})
        )
        self.exits = ExitRules(settings.positions)
        self.tracked: dict[str, TrackedPosition] = {}
        self.ready = asyncio.Event()
        self.halted: str | None = None
        self.broker_events: Counter[str] = Counter()
        """Broker events applied, by type (``OrderFilled``, ``OrderRejected``...)."""

    def now(self) -> datetime:
        """Return the decision clock's time."""
        return self._clock()

    def filters(self, symbol: str) -> MarketFilters:
        """Return `symbol`'s order filters: the venue's, else 8-decimal steps.

        The minimum notional is the stricter of the venue's and risk's; a venue without a
        step gets the 8-decimal one; a symbol the venue refuses keeps its refusal.
        """
        floor = self.settings.risk.min_notional
        venue = self.broker.filters(symbol)
        if venue is None:
            return MarketFilters(symbol, step_size=QUANTITY_STEP, min_notional=floor)
        return venue.tightened(floor, QUANTITY_STEP)

    async def start(self) -> bool:
        """Fund a new paper ledger, reconcile with the broker, then open for trading.

        Returns whether the books and the broker agree; when they do not, entries stay halted
        (`halted`) and `RiskLimitBreached` is published.
        """
        now = self._clock()
        if self.settings.broker == "paper" and not self.ledger.balances():
            self.ledger.deposit(
                self.settings.paper.start_cash, now, "paper-start-cash", "paper account start cash"
            )
        report = await self.broker.reconcile(
            open_orders_of(self.ledger), self.ledger.wallet_balances()
        )
        await self._apply(report.events)
        self.tracked = tracked_positions(self.ledger)
        self.state.observe()
        if not report.ok:
            self.halted = "; ".join(report.mismatches)
            log.error(
                "reconciliation failed: %s",
                self.halted,
                extra={"event": "reconcile_failed", "mismatches": report.mismatches},
            )
            await self._publish(
                RiskLimitBreached(
                    ts_event=now,
                    ts_init=now,
                    limit="reconciliation",
                    scope="broker",
                    value=float(len(report.mismatches)),
                    threshold=0.0,
                    halted=True,
                    message=f"books and venue disagree, entries halted: {self.halted}"[:2000],
                )
            )
        log.info(
            "trading ready on %s",
            self.broker.venue,
            extra={
                "event": "trading_ready",
                "reconciled": report.ok,
                "recovered_events": len(report.events),
            },
        )
        self.ready.set()
        return report.ok

    async def submit(
        self, order: SubmitOrder, *, model: str = "unknown", expires_at: datetime | None = None
    ) -> None:
        """Record `order`, send it, record and publish what the broker answers.

        `model` placed it and `expires_at` ends its horizon (both kept with the order). An
        order whose client id the ledger already holds is not sent again.
        """
        await self.ready.wait()
        if not self.ledger.record_order(order, model=model, expires_at=expires_at):
            log.info(
                "order %s already in the ledger: not sent again",
                order.client_order_id,
                extra={"event": "order_duplicate", "client_order_id": order.client_order_id},
            )
            return
        self.state.record_order(order.ts_event)
        await self._publish(order)
        await self._apply(await self.broker.submit(order))

    async def on_bar(self, bar: Bar) -> None:
        """Mark, let the broker fill, run the exit rules, then publish a portfolio snapshot."""
        await self.ready.wait()
        self.state.on_bar(bar.symbol, bar.high, bar.low, bar.close)
        await self._apply(await self.broker.on_bar(bar))
        await self._check_exits(bar)
        marks = self.state.book.marks
        await self._publish(
            snapshot(self.ledger, marks, bar.ts_event, peak_equity=self.state.peak_equity)
        )

    async def _check_exits(self, bar: Bar) -> None:
        position = self.tracked.get(bar.symbol)
        if position is None:
            return
        best = position.best_price
        position, decision = self.exits.on_bar(position, bar)
        self.tracked[bar.symbol] = position
        if position.best_price != best and self.exits.settings.trailing_stop_pct > 0:
            self.ledger.save_best_price(self.broker.venue, bar.symbol, position.best_price)
        if decision is None or self.has_open_order(bar.symbol):
            return
        quantity = self.state.book.quantity(bar.symbol)
        intent = self.policy.exit_intent(bar.symbol, quantity, bar.close, self.filters(bar.symbol))
        if isinstance(intent, NoTrade):
            log.warning("exit %s of %s not sent: %s", decision.reason, bar.symbol, intent.reason)
            return
        now = self._clock()
        stamp = int(bar.ts_event.timestamp())
        order = SubmitOrder(
            ts_event=now,
            ts_init=now,
            venue=self.broker.venue,
            symbol=bar.symbol,
            client_order_id=f"ntx-exit-{bar.symbol.replace('/', '')}-{stamp}",
            side=intent.side,
            order_type="market",
            quantity=intent.quantity,
        )
        log.info(
            "exit %s on %s at %s",
            decision.reason,
            bar.symbol,
            decision.trigger_price,
            extra={"event": "exit", "reason": decision.reason, "symbol": bar.symbol},
        )
        await self.submit(order, model=self.state.book.owner(bar.symbol))

    def has_open_order(self, symbol: str) -> bool:
        """Return whether the ledger holds an order of `symbol` not yet filled or closed."""
        return any(o.symbol == symbol for o in self.ledger.orders(open_only=True))

    async def _apply(self, events: Sequence[BrokerEvent]) -> None:
        for event in events:
            changes = self.ledger.record(event)
            if isinstance(event, OrderFilled) and changes:  # a fill seen before: no changes
                self._on_fill(event)
            if changes or not isinstance(event, OrderFilled):
                self.broker_events[event.type] += 1
            await self._publish(event)
            for change in changes:
                self._track(change.symbol, change.quantity, change.avg_entry_price, event)
                await self._publish(change)

    def _on_fill(self, fill: OrderFilled) -> None:
        order = self.ledger.order(fill.client_order_id)
        model = (order and order.model) or self.state.book.owner(fill.symbol)
        fee = fill.fee if fill.fee_currency == self.ledger.quote_currency else Decimal(0)
        self.state.on_fill(
            fill.ts_event, fill.symbol, fill.side, fill.last_quantity, fill.last_price, fee, model
        )

    def _track(self, symbol: str, quantity: Decimal, avg: Decimal, event: BrokerEvent) -> None:
        if quantity == 0:
            self.tracked.pop(symbol, None)
            return
        order = self.ledger.order(event.client_order_id)
        expires = None if order is None else order.expires_at
        old = self.tracked.get(symbol)
        price = event.last_price if isinstance(event, OrderFilled) else avg
        best = price if old is None else old.best_price
        if old is not None and expires is None:
            expires = old.expires_at
        self.tracked[symbol] = TrackedPosition(
            symbol, 1 if quantity > 0 else -1, avg, expires, best
        )
