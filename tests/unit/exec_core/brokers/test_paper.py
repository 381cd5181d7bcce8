"""The paper broker: next-bar fills, fees, slippage, volume cap and the virtual wallet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from exec_core.brokers import PaperBroker, PaperSection
from signal_schema.market import Bar
from signal_schema.orders import OrderFilled, SubmitOrder

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _bar(price: str, volume: str, hour: int) -> Bar:
    p = Decimal(price)
    return Bar(ts_event=T0 + timedelta(hours=hour), ts_init=T0 + timedelta(hours=hour),
               venue="paper", symbol="BTC/USDT", timeframe="1h",
               ts_open=T0 + timedelta(hours=hour - 1), open=p, high=p, low=p, close=p,
               volume=Decimal(volume))  # fmt: skip


def _order(cid: str, qty: str, side: str = "buy", hour: int = 1) -> SubmitOrder:
    ts = T0 + timedelta(hours=hour)
    return SubmitOrder(ts_event=ts, ts_init=ts, client_order_id=cid, venue="paper",
                       symbol="BTC/USDT", side=side, order_type="market",  # type: ignore[arg-type]
                       quantity=Decimal(qty))  # fmt: skip


async def test_next_bar_fill_with_fees_slippage_and_partial_fills() -> None:
    settings = PaperSection(taker_fee_bps=Decimal(10), slippage_bps=Decimal(5),
                            volume_impact_bps=Decimal(100), max_participation=Decimal("0.5"),
                            start_cash=Decimal(1000))  # fmt: skip
    broker = PaperBroker(settings, clock=lambda: T0)
    assert (await broker.submit(_order("a", "1")))[0].type == "OrderRejected"  # no price yet
    await broker.on_bar(_bar("100", "10", 1))
    assert (await broker.submit(_order("b", "20")))[0].type == "OrderRejected"  # too little cash
    assert (await broker.submit(_order("c", "6")))[0].type == "OrderAccepted"
    first = await broker.on_bar(_bar("100", "10", 2))
    assert len(first) == 1
    fill = first[0]
    assert isinstance(fill, OrderFilled)
    assert fill.last_quantity == Decimal(5)  # half the bar's volume
    assert fill.slippage_bps == Decimal("55.0000")  # 5 fixed + 100 x 0.5 participation
    assert fill.last_price == Decimal("100.55")
    assert fill.fee == Decimal("0.50275000")
    assert fill.leaves_quantity == Decimal(1)
    second = await broker.on_bar(_bar("101", "10", 3))
    assert [e.type for e in second] == ["OrderFilled"]
    assert broker.wallet["BTC"] == Decimal(6)
    assert (await broker.submit(_order("d", "7", "sell", 3)))[0].type == "OrderRejected"
    assert broker.working() == []
