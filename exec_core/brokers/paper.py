"""`PaperBroker`: fills on the next bar (or the next ticker) against a virtual wallet."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from exec_core.brokers.base import BrokerEvent, OpenOrder, ReconcileReport
from exec_core.brokers.settings import PaperSection
from exec_core.brokers.slippage import fee, slippage_bps, slipped
from exec_core.positions.filters import MarketFilters
from signal_schema.market import Bar
from signal_schema.orders import (
    CancelOrder,
    OrderAccepted,
    OrderCanceled,
    OrderFilled,
    OrderRejected,
    SubmitOrder,
)


@dataclass(slots=True)
class _Working:
    order: SubmitOrder
    venue_order_id: str
    filled: Decimal
    fills: int = 0


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PaperBroker:
    """A simulated venue: market orders fill at the next bar's open (or the next quote).

    The virtual wallet is checked when an order comes in and again at each fill; fees are
    paid in the quote currency; a fill takes at most ``max_participation`` of a bar's volume,
    so large orders fill partially over several bars.

    Parameters
    ----------
    settings
        Fees, slippage, volume cap and start cash.
    venue
        The venue name orders must carry (``paper``).
    quote_currency
        The wallet's cash currency.
    allow_short
        Let sells exceed the base held (a margin-like simulation); off is spot.
    clock
        Returns ``ts_init`` of events (default: the wall clock).
    """

    def __init__(
        self,
        settings: PaperSection,
        *,
        venue: str = "paper",
        quote_currency: str = "USDT",
        allow_short: bool = False,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.settings = settings
        self.venue = venue
        self.quote_currency = quote_currency
        self.allow_short = allow_short
        self._clock = clock
        self.wallet: dict[str, Decimal] = {quote_currency: settings.start_cash}
        self._working: dict[str, _Working] = {}
        self._last_price: dict[str, Decimal] = {}
        self._next_id = 0

    def filters(self, symbol: str) -> MarketFilters | None:
        """Return None: the paper venue has no filters of its own (the trader's apply)."""
        return None

    def working(self) -> list[str]:
        """Return the client order ids still working."""
        return list(self._working)

    async def submit(self, order: SubmitOrder) -> list[BrokerEvent]:
        """Accept `order` if the wallet can pay for it; fills come with `on_bar`/`on_ticker`."""
        reason = self._refusal(order)
        now = self._clock()
        if reason is not None:
            return [
                OrderRejected(
                    ts_event=now,
                    ts_init=now,
                    client_order_id=order.client_order_id,
                    venue=order.venue,
                    symbol=order.symbol,
                    reason=reason,
                )
            ]
        self._next_id += 1
        venue_id = f"paper-{self._next_id}-{order.client_order_id}"[:128]
        self._working[order.client_order_id] = _Working(order, venue_id, Decimal(0))
        return [
            OrderAccepted(
                ts_event=now,
                ts_init=now,
                client_order_id=order.client_order_id,
                venue_order_id=venue_id,
                venue=self.venue,
                symbol=order.symbol,
            )
        ]

    def _refusal(self, order: SubmitOrder) -> str | None:
        if order.venue != self.venue:
            return f"paper broker trades {self.venue}, not {order.venue}"
        if order.client_order_id in self._working:
            return f"duplicate client order id {order.client_order_id}"
        price = order.limit_price or self._last_price.get(order.symbol)
        if price is None:
            return f"no price yet for {order.symbol}"
        base, quote = order.symbol.split("/")
        if order.side == "buy":
            need = order.quantity * price * (1 + self.settings.taker_fee_bps / 10_000)
            if self.wallet.get(quote, Decimal(0)) < need:
                return f"insufficient {quote}: need {need:.8f}, have {self.wallet.get(quote, 0)}"
        elif not self.allow_short and self.wallet.get(base, Decimal(0)) < order.quantity:
            return f"insufficient {base}: need {order.quantity}, have {self.wallet.get(base, 0)}"
        return None

    async def cancel(self, command: CancelOrder) -> list[BrokerEvent]:
        """Cancel a working order (a no-op for an unknown one)."""
        working = self._working.pop(command.client_order_id, None)
        if working is None:
            return []
        return [self._canceled(working, command.reason)]

    async def on_bar(self, bar: Bar) -> list[BrokerEvent]:
        """Fill working orders of `bar`'s market placed before it closed."""
        self._last_price[bar.symbol] = bar.close
        events: list[BrokerEvent] = []
        for working in list(self._working.values()):
            order = working.order
            if order.symbol != bar.symbol or order.ts_event > bar.ts_event:
                continue
            cap = bar.volume * self.settings.max_participation
            qty = min(order.quantity - working.filled, cap)
            if qty <= 0:
                continue
            if order.limit_price is None:
                bps = slippage_bps(self.settings, qty, bar.volume)
                events += self._fill(
                    working,
                    qty,
                    slipped(bar.open, order.side, bps),
                    bar.ts_event,
                    maker=False,
                    bps=bps,
                )
                continue
            limit = order.limit_price
            if order.side == "buy" and bar.low <= limit:
                events += self._fill(
                    working,
                    qty,
                    min(limit, bar.open),
                    bar.ts_event,
                    maker=bar.open > limit,
                    bps=None,
                )
            elif order.side == "sell" and bar.high >= limit:
                events += self._fill(
                    working,
                    qty,
                    max(limit, bar.open),
                    bar.ts_event,
                    maker=bar.open < limit,
                    bps=None,
                )
        return events

    async def on_ticker(
        self, symbol: str, bid: Decimal, ask: Decimal, ts: datetime
    ) -> list[BrokerEvent]:
        """Fill working market orders of `symbol` at the quote (plus fixed slippage)."""
        self._last_price[symbol] = (bid + ask) / 2
        events: list[BrokerEvent] = []
        for working in list(self._working.values()):
            order = working.order
            if order.symbol != symbol or order.limit_price is not None:
                continue
            bps = self.settings.slippage_bps
            price = slipped(ask if order.side == "buy" else bid, order.side, bps)
            events += self._fill(
                working, order.quantity - working.filled, price, ts, maker=False, bps=bps
            )
        return events

    def _fill(
        self,
        working: _Working,
        qty: Decimal,
        price: Decimal,
        ts: datetime,
        *,
        maker: bool,
        bps: Decimal | None,
    ) -> list[BrokerEvent]:
        order = working.order
        base, quote = order.symbol.split("/")
        paid = fee(self.settings, qty * price, maker=maker)
        cash, held = self.wallet.get(quote, Decimal(0)), self.wallet.get(base, Decimal(0))
        if order.side == "buy" and cash < qty * price + paid:
            del self._working[order.client_order_id]
            return [self._canceled(working, f"insufficient {quote} at fill")]
        if order.side == "sell" and not self.allow_short and held < qty:
            del self._working[order.client_order_id]
            return [self._canceled(working, f"insufficient {base} at fill")]
        sign = 1 if order.side == "buy" else -1
        self.wallet[quote] = cash - sign * qty * price - paid
        self.wallet[base] = held + sign * qty
        working.filled += qty
        working.fills += 1
        leaves = order.quantity - working.filled
        if leaves == 0:
            del self._working[order.client_order_id]
        return [
            OrderFilled(
                ts_event=ts,
                ts_init=self._clock(),
                client_order_id=order.client_order_id,
                venue_order_id=working.venue_order_id,
                trade_id=f"{working.venue_order_id}-{working.fills}"[:128],
                venue=self.venue,
                symbol=order.symbol,
                side=order.side,
                last_quantity=qty,
                last_price=price,
                cumulative_quantity=working.filled,
                leaves_quantity=leaves,
                fee=paid,
                fee_currency=quote,
                liquidity="maker" if maker else "taker",
                slippage_bps=None if bps is None else bps.quantize(Decimal("0.0001")),
            )
        ]

    def _canceled(self, working: _Working, reason: str) -> OrderCanceled:
        now = self._clock()
        order = working.order
        return OrderCanceled(
            ts_event=now,
            ts_init=now,
            client_order_id=order.client_order_id,
            venue_order_id=working.venue_order_id,
            venue=self.venue,
            symbol=order.symbol,
            filled_quantity=working.filled,
            reason=reason,
        )

    async def reconcile(
        self, open_orders: Sequence[OpenOrder], expected_balances: Mapping[str, Decimal]
    ) -> ReconcileReport:
        """Restore the wallet and working orders from the ledger (the paper venue's truth)."""
        self.wallet = dict(expected_balances)
        self.wallet.setdefault(self.quote_currency, Decimal(0))
        self._working = {}
        for item in open_orders:
            venue_id = item.venue_order_id or f"paper-r-{item.order.client_order_id}"[:128]
            self._working[item.order.client_order_id] = _Working(
                item.order, venue_id, item.filled_quantity, fills=len(item.trade_ids)
            )
        return ReconcileReport()
