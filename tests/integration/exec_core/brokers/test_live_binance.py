"""`CcxtBroker` against a local venue speaking Binance's signed spot REST protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr

from exec_core.brokers import CcxtBroker, CcxtTradingClient, LiveSection, open_orders_of
from exec_core.ledger import Ledger, check_books
from signal_schema.orders import SubmitOrder
from tests.fixtures.exchanges.binance_trading import TradingBinance

NOW = datetime(2026, 5, 16, 18, 30, tzinfo=UTC)


@pytest.fixture
async def venue() -> AsyncIterator[TradingBinance]:
    async with TradingBinance() as server:
        yield server
        server.release.set()


SECRET = "secret"


def _broker(venue: TradingBinance, *, armed: bool = True, secret: str = SECRET) -> CcxtBroker:
    settings = LiveSection(api_key=SecretStr("key"), api_secret=SecretStr(secret), testnet=False,
                           rest_url=venue.url, max_retries=2, timeout_ms=800)  # fmt: skip
    client = CcxtTradingClient("binance", api_key="key", api_secret=secret, testnet=False,
                               rest_url=venue.url, timeout_ms=800)  # fmt: skip
    return CcxtBroker(client, settings, venue="binance", armed=armed, retry_delay_secs=0)


def _order(cid: str, qty: str, side: str = "buy", price: str | None = None) -> SubmitOrder:
    return SubmitOrder(ts_event=NOW, ts_init=NOW, client_order_id=cid, venue="binance",
                       symbol="BTC/USDT", side=side, quantity=Decimal(qty),  # type: ignore[arg-type]
                       order_type="limit" if price else "market",
                       limit_price=Decimal(price) if price else None)  # fmt: skip


async def _ready(broker: CcxtBroker, ledger: Ledger) -> None:
    report = await broker.reconcile(open_orders_of(ledger), ledger.wallet_balances())
    assert report.ok, report.mismatches


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    ledger.deposit(Decimal(10_000), NOW, "seed")
    return ledger


async def _send(broker: CcxtBroker, ledger: Ledger, order: SubmitOrder) -> list[str]:
    ledger.record_order(order)
    events = await broker.submit(order)
    for event in events:
        ledger.record(event)
    return [e.type for e in events]


async def test_market_order_is_signed_filled_and_booked(
    venue: TradingBinance, ledger: Ledger
) -> None:
    broker = _broker(venue)
    await _ready(broker, ledger)
    assert await _send(broker, ledger, _order("c1", "0.01")) == ["OrderAccepted", "OrderFilled"]
    assert venue.signed_ok >= 4
    assert ledger.order("c1").status == "filled"  # type: ignore[union-attr]
    assert check_books(ledger) == []
    assert ledger.wallet_balances()["BTC"] == Decimal("0.01")
    await _ready(broker, ledger)  # books and venue still agree (fees included)
    await broker.client.close()


async def test_bad_signature_and_rejected_order(venue: TradingBinance, ledger: Ledger) -> None:
    bad = _broker(venue, secret="wrong")
    report = await bad.reconcile([], ledger.wallet_balances())
    assert not report.ok
    assert "Signature" in report.mismatches[0]
    assert (await bad.submit(_order("c0", "0.01")))[0].type == "OrderRejected"
    await bad.client.close()
    broker = _broker(venue)
    await _ready(broker, ledger)
    assert await _send(broker, ledger, _order("c2", "5")) == ["OrderRejected"]
    assert ledger.order("c2").status == "rejected"  # type: ignore[union-attr]
    await broker.client.close()


async def test_timeout_after_acceptance_is_not_sent_twice(
    venue: TradingBinance, ledger: Ledger
) -> None:
    broker = _broker(venue)
    await _ready(broker, ledger)
    venue.hang_after_accept = True
    assert await _send(broker, ledger, _order("c3", "0.02")) == ["OrderAccepted", "OrderFilled"]
    assert [o["clientOrderId"] for o in venue.orders.values()] == ["c3"]
    assert check_books(ledger) == []
    await broker.client.close()


async def test_partial_fills_then_cancel(venue: TradingBinance, ledger: Ledger) -> None:
    broker = _broker(venue)
    await _ready(broker, ledger)
    assert await _send(broker, ledger, _order("c4", "0.03", price="59000")) == ["OrderAccepted"]
    (order_id,) = venue.orders
    venue.fill(order_id, Decimal("0.01"), Decimal("59000"))
    events = await broker.poll()
    assert [(e.type, getattr(e, "leaves_quantity", None)) for e in events] == [
        ("OrderFilled", Decimal("0.02"))
    ]
    for event in events:
        ledger.record(event)
    assert ledger.order("c4").status == "partially_filled"  # type: ignore[union-attr]
    venue.fill(order_id, Decimal("0.01"), Decimal("58990"))
    from signal_schema.orders import CancelOrder

    cancel = CancelOrder(ts_event=NOW, ts_init=NOW, client_order_id="c4", venue="binance",
                         symbol="BTC/USDT", reason="test")  # fmt: skip
    events = await broker.cancel(cancel)
    assert [e.type for e in events] == ["OrderFilled", "OrderCanceled"]
    for event in events:
        ledger.record(event)
    assert ledger.order("c4").filled_quantity == Decimal("0.02")  # type: ignore[union-attr]
    assert check_books(ledger) == []
    await _ready(broker, ledger)
    await broker.client.close()


async def test_refuses_to_trade_on_mismatch_or_unarmed(
    venue: TradingBinance, ledger: Ledger
) -> None:
    venue.balances["BTC"] = Decimal("1")  # the venue holds BTC the ledger does not know
    broker = _broker(venue)
    report = await broker.reconcile(open_orders_of(ledger), ledger.wallet_balances())
    assert any("BTC" in m for m in report.mismatches)
    assert (await broker.submit(_order("c5", "0.01")))[0].type == "OrderRejected"
    del venue.balances["BTC"]
    unarmed = _broker(venue, armed=False)
    await _ready(unarmed, ledger)
    events = await unarmed.submit(_order("c6", "0.01"))
    assert events[0].type == "OrderRejected"
    assert "armed" in events[0].reason
    assert venue.orders == {}
    await broker.client.close()
    await unarmed.client.close()
