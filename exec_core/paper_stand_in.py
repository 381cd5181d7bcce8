"""A stand-in broker with the plan's `Broker` shape: fills market orders at the last close.

Used until ``exec_core.brokers.PaperBroker`` (fees, slippage, next-bar fills) is wired in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from signal_schema import Bar, Message, OrderAccepted, OrderFilled, OrderRejected, SubmitOrder


class InstantPaperBroker:
    """Fill each market order in full at the symbol's last bar close, without fees.

    Parameters
    ----------
    clock
        UTC clock for the events' times.
    currency
        The quote currency fees are counted in.
    """

    def __init__(self, clock: Callable[[], datetime], currency: str) -> None:
        self._clock = clock
        self._currency = currency
        self._last: dict[str, Decimal] = {}

    async def submit(self, order: SubmitOrder) -> list[Message]:
        """Fill `order` at the last close, or reject it when no price is known yet."""
        now = self._clock()
        price = self._last.get(order.symbol)
        cid, venue, symbol = order.client_order_id, order.venue, order.symbol
        if price is None:
            return [
                OrderRejected(ts_event=now, ts_init=now, client_order_id=cid, venue=venue,
                              symbol=symbol, reason="no price yet")
            ]  # fmt: skip
        venue_id = f"paper-{cid}"
        return [
            OrderAccepted(ts_event=now, ts_init=now, client_order_id=cid, venue=venue,
                          symbol=symbol, venue_order_id=venue_id),
            OrderFilled(
                ts_event=now, ts_init=now, client_order_id=cid, venue=venue, symbol=symbol,
                venue_order_id=venue_id, trade_id=f"t-{venue_id}", side=order.side,
                last_quantity=order.quantity, last_price=price,
                cumulative_quantity=order.quantity, leaves_quantity=Decimal(0),
                fee=Decimal(0), fee_currency=self._currency, liquidity="taker",
            ),
        ]  # fmt: skip

    async def on_bar(self, bar: Bar) -> list[Message]:
        """Remember the bar's close; nothing rests, so nothing fills."""
        self._last[bar.symbol] = bar.close
        return []
