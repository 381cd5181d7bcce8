"""`CcxtBroker`: real orders through ccxt, with client order ids, safe retries and reconciliation.

Retries happen only on temporary errors, and never blindly: after a failed or timed-out
``create_order`` the broker first asks the venue for the order by its client id (the venue may
have accepted it before the answer was lost), and sends it again only when the venue has none.
Until `reconcile` has found the venue and the ledger in agreement, every order is refused.

`reconcile` also loads the venue's markets: `filters` gives each symbol's tick and step sizes
and minimums, and `submit` refuses an order off them (ccxt would silently truncate it,
leaving the ledger expecting more than the venue was sent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tenacity import AsyncRetrying, stop_after_attempt
from tenacity.wait import wait_incrementing

from exec_core.brokers.base import BrokerEvent, OpenOrder, ReconcileReport
from exec_core.brokers.ccxt_client import CcxtTradingClient
from exec_core.brokers.live_events import (
    CLOSED_BADLY,
    accepted,
    apply_to_balances,
    canceled,
    fill_events,
)
from exec_core.brokers.live_filters import VenueFilters
from exec_core.brokers.settings import LiveSection
from exec_core.positions.filters import MarketFilters
from signal_bus import TemporaryError
from signal_bus.retry import (
    log_retry,
    retry_if_temporary,
    wait_jittered,
    wait_retry_after,
)
from signal_schema.market import Bar
from signal_schema.orders import CancelOrder, OrderRejected, SubmitOrder
from venue_adapter.decimals import decimal_or_zero
from venue_adapter.errors import OrderNotFoundError, VenueError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Live:
    order: SubmitOrder
    venue_order_id: str | None = None
    filled: Decimal = Decimal(0)
    seen: set[str] = field(default_factory=set)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CcxtBroker:
    """The live broker.

    Parameters
    ----------
    client
        The ccxt wrapper.
    settings
        Retries, tolerance, testnet.
    venue
        The venue name orders carry.
    armed
        Whether real-money trading was armed (`arming.is_armed`); testnet needs no arming.
    retry_delay_secs
        Backoff before the n-th retry is ``retry_delay_secs * n`` (up to 10 % more, jitter),
        capped at `retry_max_delay_secs`; a rate limit waits at least the venue's
        ``Retry-After``.
    clock
        Returns ``ts_init`` of events.
    sleep
        Waits between retries (injectable for tests).
    """

    def __init__(
        self,
        client: CcxtTradingClient,
        settings: LiveSection,
        *,
        venue: str,
        armed: bool,
        retry_delay_secs: float = 0.5,
        retry_max_delay_secs: float = 10.0,
        clock: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.settings = settings
        self.venue = venue
        self.armed = armed
        self.retry_delay_secs = retry_delay_secs
        self.retry_max_delay_secs = retry_max_delay_secs
        self._clock = clock
        self._sleep = sleep
        self._rng = random.Random()  # noqa: S311 (jitter only)
        self._open: dict[str, _Live] = {}
        self.reconciled = False
        self.mismatches: list[str] = ["not reconciled yet"]
        self.markets = VenueFilters(venue)

    async def load_markets(self) -> None:
        """Read the venue's markets afresh and keep each symbol's filters."""
        self.markets.load(await self.client.load_markets(reload=True))

    def filters(self, symbol: str) -> MarketFilters:
        """Return the venue's filters for `symbol` (refusing it when unlisted or not loaded)."""
        return self.markets.of(symbol)

    def _reject(self, order: SubmitOrder, reason: str) -> list[BrokerEvent]:
        now = self._clock()
        return [
            OrderRejected(
                ts_event=now,
                ts_init=now,
                client_order_id=order.client_order_id,
                venue=order.venue,
                symbol=order.symbol,
                reason=reason[:2000],
            )
        ]

    def _refusal(self, order: SubmitOrder) -> str | None:
        """Return why `order` may not be sent (None when it may)."""
        if not self.reconciled:
            return "live broker refuses to trade: " + "; ".join(self.mismatches)
        if not self.settings.testnet and not self.armed:
            return "real-money trading is not armed (run `ntx live arm`)"
        if order.venue != self.venue:
            return f"live broker trades {self.venue}, not {order.venue}"
        off = self.markets.breach(order)
        return None if off is None else f"refused before submission to {self.venue}: {off}"

    async def submit(self, order: SubmitOrder) -> list[BrokerEvent]:
        """Send `order`; return its acceptance (or rejection) and the fills so far.

        When the venue stays unreachable the order is kept as in flight (no event): the next
        `on_bar`/`poll` or `reconcile` finds out what became of it.
        """
        refusal = self._refusal(order)
        if refusal is not None:
            return self._reject(order, refusal)
        live = _Live(order)
        self._open[order.client_order_id] = live
        try:
            async for attempt in self._retrying(f"order {order.client_order_id}"):
                with attempt:
                    return await self._try_submit(live, attempt.retry_state.attempt_number)
        except TemporaryError:
            log.error("order %s: venue unreachable; left in flight", order.client_order_id)
        return []

    def _retrying(self, what: str) -> AsyncRetrying:
        """Retry temporary failures `settings.max_retries` times, backing off linearly."""
        linear = wait_incrementing(
            self.retry_delay_secs, self.retry_delay_secs, self.retry_max_delay_secs
        )
        return AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_retries + 1),
            wait=wait_retry_after(wait_jittered(linear, 1.0, 1.1, self._rng)),
            retry=retry_if_temporary,
            sleep=self._sleep,
            before_sleep=log_retry(log, what),
            reraise=True,
        )

    async def _try_submit(self, live: _Live, attempt: int) -> list[BrokerEvent]:
        """Send `live`'s order once; after a failed try, first ask whether the venue has it."""
        order = live.order
        if attempt > 1:
            with contextlib.suppress(OrderNotFoundError):  # none: send it again
                return await self._sync(live)  # the venue took the earlier try after all
        try:
            raw = await self.client.create_order(
                order.symbol,
                order.order_type,
                order.side,
                order.quantity,
                order.limit_price,
                order.client_order_id,
            )
        except TemporaryError:
            raise
        except VenueError as error:  # refused for good: the venue has no such order
            del self._open[order.client_order_id]
            return self._reject(order, str(error))
        live.venue_order_id = str(raw["id"])
        return [accepted(order, self.venue, raw, self._clock()), *await self._sync(live, raw)]

    async def _sync(self, live: _Live, raw: Mapping[str, Any] | None = None) -> list[BrokerEvent]:
        """Return the events of `live` the venue shows and we have not reported yet."""
        now = self._clock()
        if raw is None:
            raw = await self.client.fetch_order_by_client_id(
                live.order.symbol, live.order.client_order_id
            )
        events: list[BrokerEvent] = []
        if live.venue_order_id is None:
            live.venue_order_id = str(raw["id"])
            events.append(accepted(live.order, self.venue, raw, now))
        if (
            decimal_or_zero(raw.get("filled"), "filled") > live.filled
            or raw.get("status") != "open"
        ):
            trades = await self.client.fetch_order_trades(live.order.symbol, live.venue_order_id)
            fills, live.filled = fill_events(
                live.order, self.venue, trades, live.seen, live.filled, now
            )
            events += fills
        status = raw.get("status")
        if status in CLOSED_BADLY:
            events.append(
                canceled(
                    live.order,
                    self.venue,
                    live.venue_order_id,
                    live.filled,
                    f"venue status {status}",
                    now,
                )
            )
        if status != "open":
            self._open.pop(live.order.client_order_id, None)
        return events

    async def poll(self) -> list[BrokerEvent]:
        """Return new events of every open order (fills, cancels); skips temporary failures."""
        events: list[BrokerEvent] = []
        for live in list(self._open.values()):
            try:
                events += await self._sync(live)
            except OrderNotFoundError:
                self._open.pop(live.order.client_order_id, None)
                events += self._reject(live.order, "the venue has no such order")
            except TemporaryError as error:
                log.warning("poll of %s failed: %s", live.order.client_order_id, error)
        return events

    async def on_bar(self, bar: Bar) -> list[BrokerEvent]:
        """Note the bar's close (for market orders' minimum notional), then poll open orders."""
        self.markets.note_close(bar.symbol, bar.close)
        return await self.poll()

    async def cancel(self, command: CancelOrder) -> list[BrokerEvent]:
        """Cancel an open order; return its fills up to the cancel and the cancel itself."""
        live = self._open.get(command.client_order_id)
        if live is None:
            return []
        with contextlib.suppress(OrderNotFoundError):  # filled or gone: the sync says which
            await self.client.cancel_order(live.order.symbol, command.client_order_id)
        return await self._sync(live)

    async def reconcile(
        self, open_orders: Sequence[OpenOrder], expected_balances: Mapping[str, Decimal]
    ) -> ReconcileReport:
        """Load the markets, settle the ledger's open orders, then compare orders and balances.

        Orders the venue never received are reported rejected; missed fills and cancels are
        returned as events. Trading stays refused while `ReconcileReport.mismatches` is not
        empty (markets not loaded, unknown open orders at the venue, balances off by more
        than the tolerance).
        """
        report = ReconcileReport()
        try:
            await self.load_markets()
        except VenueError as error:
            report.mismatches.append(f"cannot load the markets: {error}")
        for item in open_orders:
            live = _Live(item.order, item.venue_order_id, item.filled_quantity, set(item.trade_ids))
            self._open[item.order.client_order_id] = live
            try:
                report.events.extend(await self._sync(live))
            except OrderNotFoundError:
                self._open.pop(item.order.client_order_id, None)
                report.events.extend(self._reject(item.order, "never reached the venue"))
            except VenueError as error:
                report.mismatches.append(f"order {item.order.client_order_id}: {error}")
        balances = dict(expected_balances)
        for event in report.events:
            apply_to_balances(balances, event)
        try:
            report.mismatches.extend(await self._compare(balances))
        except VenueError as error:
            report.mismatches.append(f"cannot check the venue: {error}")
        self.reconciled = report.ok
        self.mismatches = report.mismatches or []
        return report

    async def _compare(self, expected: Mapping[str, Decimal]) -> list[str]:
        problems: list[str] = []
        ours = set(self._open)
        for raw in await self.client.fetch_open_orders():
            client_id = str(raw.get("clientOrderId") or "")
            if client_id not in ours:
                problems.append(
                    f"open order at the venue unknown to the ledger: {raw.get('id')} "
                    f"({client_id or 'no client id'})"
                )
        venue = await self.client.fetch_balance()
        for ccy in sorted(set(expected) | set(venue)):
            want, have = expected.get(ccy, Decimal(0)), venue.get(ccy, Decimal(0))
            if abs(want - have) > self.settings.balance_tolerance:
                problems.append(f"{ccy}: ledger expects {want}, venue holds {have}")
        return problems
