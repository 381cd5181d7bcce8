"""`CcxtBroker` retries a temporary failure (waiting what the venue asked) and never sends twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import SecretStr

from exec_core.brokers import CcxtBroker, CcxtTradingClient, LiveSection
from signal_schema.orders import SubmitOrder
from tests.fixtures.exchanges import Fault
from tests.fixtures.exchanges.binance_trading import TradingBinance

NOW = datetime(2026, 5, 16, 18, 30, tzinfo=UTC)


class Waits(list[float]):
    """A sleep that records the waits instead of waiting."""

    async def __call__(self, secs: float) -> None:
        self.append(secs)


@pytest.fixture
async def venue() -> AsyncIterator[TradingBinance]:
    async with TradingBinance() as server:
        yield server
        server.release.set()


@pytest.fixture
async def ready(venue: TradingBinance) -> AsyncIterator[tuple[CcxtBroker, Waits]]:
    settings = LiveSection(api_key=SecretStr("key"), api_secret=SecretStr("secret"), testnet=False,
                           rest_url=venue.url, max_retries=2, timeout_ms=800)  # fmt: skip
    client = CcxtTradingClient("binance", api_key="key", api_secret="secret", testnet=False,
                               rest_url=venue.url, timeout_ms=800)  # fmt: skip
    waits = Waits()
    broker = CcxtBroker(client, settings, venue="binance", armed=True, retry_delay_secs=0.5,
                        sleep=waits)  # fmt: skip
    report = await broker.reconcile([], {"USDT": Decimal(10_000)})
    assert report.ok, report.mismatches
    yield broker, waits
    await client.close()


def _order(cid: str) -> SubmitOrder:
    return SubmitOrder(ts_event=NOW, ts_init=NOW, client_order_id=cid, venue="binance",
                       symbol="BTC/USDT", side="buy", quantity=Decimal("0.01"),
                       order_type="market", limit_price=None)  # fmt: skip


async def test_a_429_waits_its_retry_after_then_looks_up_and_resends_once(
    venue: TradingBinance, ready: tuple[CcxtBroker, Waits], caplog: pytest.LogCaptureFixture
) -> None:
    broker, waits = ready
    venue.faults.add("newOrder", Fault.rate_limited("7"))
    events = await broker.submit(_order("r1"))
    assert [e.type for e in events] == ["OrderAccepted", "OrderFilled"]
    assert waits == [7.0]  # Retry-After, more than the 0.5 s backoff
    assert [r.status for r in venue.requests.to("newOrder")] == [429]  # the fault; then sent
    assert [o["clientOrderId"] for o in venue.orders.values()] == ["r1"]
    retries = [r for r in caplog.records if "retry 1 in 7.00 s" in r.getMessage()]
    assert len(retries) == 1  # one line per retry


async def test_5xx_backs_off_linearly_with_jitter_then_leaves_the_order_in_flight(
    venue: TradingBinance, ready: tuple[CcxtBroker, Waits], caplog: pytest.LogCaptureFixture
) -> None:
    broker, waits = ready
    venue.faults.add("newOrder", *[Fault.server_error(503)] * 3)
    assert await broker.submit(_order("r2")) == []
    assert len(waits) == 2  # max_retries
    for wait, base in zip(waits, (0.5, 1.0), strict=True):
        assert base <= wait <= base * 1.1
    assert "order r2: venue unreachable; left in flight" in caplog.text
    assert venue.orders == {}


async def test_a_refused_order_is_rejected_without_retry(
    venue: TradingBinance, ready: tuple[CcxtBroker, Waits]
) -> None:
    broker, waits = ready
    venue.faults.add(
        "newOrder", Fault(400, body='{"code": -2010, "msg": "Account has insufficient balance."}')
    )
    events = await broker.submit(_order("r3"))
    assert [e.type for e in events] == ["OrderRejected"]
    assert waits == []
