"""Orders fit Binance's filters: read from exchangeInfo at reconcile, applied before sending."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr

from exec_core.brokers import (
    CcxtBroker,
    CcxtTradingClient,
    LiveSection,
    open_orders_of,
)
from exec_core.brokers.base import BrokerEvent
from exec_core.decision import position_verdicts
from exec_core.ledger import Ledger, check_books
from exec_core.portfolio import LedgerBook
from exec_core.positions import MarketFilters, NoTrade, PositionsSection
from exec_core.risk import RiskState
from exec_core.settings import ExecCoreSettings, RiskSection
from exec_core.trading import Trader
from signal_schema import AnyMessage, RuleVerdict, Signal
from signal_schema.orders import OrderRejected, SubmitOrder
from tests import schema_factories as f
from tests.fixtures.exchanges import Fault
from tests.fixtures.exchanges.binance_trading import TradingBinance
from venue_adapter.errors import VenueRequestError

NOW = datetime(2026, 5, 16, 18, 30, tzinfo=UTC)
PAIRS = ("BTC/USDT", "ETH/USDT", "DOGE/USDT")  # DOGE: on our pairlist, not on the venue


@dataclass
class Rig:
    """A started trader on a live broker against the local venue."""

    venue: TradingBinance
    broker: CcxtBroker
    trader: Trader
    ledger: Ledger
    home: Path


def _settings(home: Path, url: str, min_notional: Decimal) -> ExecCoreSettings:
    live = LiveSection(api_key=SecretStr("key"), api_secret=SecretStr("secret"), testnet=False,
                       rest_url=url, max_retries=0, timeout_ms=800)  # fmt: skip
    return ExecCoreSettings.model_validate(
        {"NTX_BUS_TOKEN": SecretStr("t"), "NTX_HOME": home, "broker": "live", "live": live,
         "positions": PositionsSection(pairlist=PAIRS),
         "risk": RiskSection(min_notional=min_notional)}
    )  # fmt: skip


def _broker(venue: TradingBinance) -> CcxtBroker:
    client = CcxtTradingClient("binance", api_key="key", api_secret="secret", testnet=False,
                               rest_url=venue.url, timeout_ms=800)  # fmt: skip
    settings = LiveSection(api_key=SecretStr("key"), api_secret=SecretStr("secret"),
                           testnet=False, rest_url=venue.url, max_retries=0)  # fmt: skip
    return CcxtBroker(client, settings, venue="binance", armed=True, retry_delay_secs=0)


def _trader(
    settings: ExecCoreSettings, ledger: Ledger, broker: CcxtBroker, sent: list[AnyMessage]
) -> Trader:
    async def publish(message: AnyMessage) -> None:
        sent.append(message)

    state = RiskState(settings.risk, LedgerBook(ledger))
    return Trader(settings, ledger, broker, state, publish, lambda: NOW)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with TradingBinance() as venue:
        ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
        ledger.deposit(Decimal(10_000), NOW, "seed")
        broker = _broker(venue)
        settings = _settings(tmp_path, venue.url, Decimal(1))  # the venue's 5 is stricter
        trader = _trader(settings, ledger, broker, [])
        assert await trader.start()  # reconciles, which loads exchangeInfo
        yield Rig(venue, broker, trader, ledger, tmp_path)
        await broker.client.close()
        ledger.close()


def _signal(symbol: str, price: str) -> Signal:
    return f.signal().model_copy(update={"symbol": symbol, "price": Decimal(price)})


def _refusal(events: list[BrokerEvent]) -> str:
    (event,) = events
    assert isinstance(event, OrderRejected)
    return event.reason


def _order(cid: str, qty: Decimal | str, symbol: str = "BTC/USDT",
           price: str | None = None) -> SubmitOrder:  # fmt: skip
    return SubmitOrder(ts_event=NOW, ts_init=NOW, client_order_id=cid, venue="binance",
                       symbol=symbol, side="buy", quantity=Decimal(qty),
                       order_type="limit" if price else "market",
                       limit_price=Decimal(price) if price else None)  # fmt: skip


async def test_filters_come_from_exchange_info(rig: Rig) -> None:
    assert rig.venue.requests.to("exchangeInfo")
    assert rig.broker.filters("BTC/USDT") == MarketFilters(
        "BTC/USDT",
        tick_size=Decimal("0.01"),
        step_size=Decimal("0.00001"),
        min_quantity=Decimal("0.00001"),
        min_notional=Decimal(5),
    )
    eth = rig.broker.filters("ETH/USDT")
    assert (eth.tick_size, eth.step_size, eth.min_quantity, eth.min_notional) == (
        Decimal("0.01"), Decimal("0.0001"), Decimal("0.0001"), Decimal(5),
    )  # fmt: skip
    # ccxt holds the step as the float 1e-05; the Decimal is exactly 10^-5, no float error
    assert rig.broker.filters("BTC/USDT").step_size.as_tuple() == (0, (1,), -5)
    # the trader keeps the venue's filters, with the stricter minimum notional
    assert rig.trader.filters("BTC/USDT") == rig.broker.filters("BTC/USDT")
    strict = _settings(rig.home, rig.venue.url, Decimal(10))
    assert _trader(strict, rig.ledger, rig.broker, []).filters("BTC/USDT").min_notional == 10


async def test_not_loaded_yet_then_loaded_after_a_failed_load(rig: Rig) -> None:
    fresh = _broker(rig.venue)
    assert fresh.filters("BTC/USDT").refusal == "binance's markets are not loaded yet"
    rig.venue.faults.add("exchangeInfo", Fault.server_error(503))
    report = await fresh.reconcile([], rig.ledger.wallet_balances())
    assert not report.ok
    assert report.mismatches[0].startswith("cannot load the markets: ")
    assert "cannot load the markets" in _refusal(await fresh.submit(_order("l1", "0.001")))
    report = await fresh.reconcile(open_orders_of(rig.ledger), rig.ledger.wallet_balances())
    assert report.ok, report.mismatches
    assert fresh.filters("BTC/USDT").step_size == Decimal("0.00001")
    assert rig.venue.received == []
    await fresh.client.close()


async def test_quantity_is_rounded_down_to_the_step_before_it_reaches_the_venue(
    rig: Rig,
) -> None:
    for cid, symbol, price, size, want in (
        ("r1", "BTC/USDT", "42475.23", "0.123456789", "0.12345"),
        ("r2", "ETH/USDT", "3000", "0.0123456", "0.0123"),
    ):
        verdicts, qty = position_verdicts(_signal(symbol, price), Decimal(0), Decimal(size),
                                          rig.trader)  # fmt: skip
        assert verdicts[-1] == RuleVerdict(rule="position_policy", passed=True,
                                           reason=f"open_long {want}")  # fmt: skip
        await rig.trader.submit(_order(cid, qty, symbol))
        assert rig.venue.received[-1]["quantity"] == want  # what came over the wire
        assert rig.ledger.order(cid).status == "filled"  # type: ignore[union-attr]
    assert check_books(rig.ledger) == []


async def test_an_order_off_the_step_or_tick_is_refused_not_truncated(rig: Rig) -> None:
    assert _refusal(await rig.broker.submit(_order("s1", "0.123456789"))) == (
        "refused before submission to binance: "
        "quantity 0.123456789 is not a multiple of the step 0.00001"
    )
    assert _refusal(await rig.broker.submit(_order("s2", "0.001", price="59000.005"))) == (
        "refused before submission to binance: price 59000.005 is not a multiple of the tick 0.01"
    )
    assert rig.venue.received == []


async def test_below_min_notional_is_refused_before_submission(rig: Rig) -> None:
    verdicts, qty = position_verdicts(_signal("BTC/USDT", "42475.23"), Decimal(0),
                                      Decimal("0.0001"), rig.trader)  # fmt: skip
    assert (verdicts[-1], qty) == (
        RuleVerdict(rule="position_policy", passed=False,
                    reason="notional 4.247523 is below the minimum 5.0"),
        Decimal(0),
    )  # fmt: skip
    assert _refusal(await rig.broker.submit(_order("n1", "0.00008", price="59000"))) == (
        "refused before submission to binance: notional 4.72 is below the minimum 5.0"
    )
    await rig.broker.on_bar(f.bar())  # a market order's notional is taken at the last close
    assert _refusal(await rig.broker.submit(_order("n2", "0.00008"))) == (
        "refused before submission to binance: notional 3.3980184 is below the minimum 5.0"
    )
    assert rig.venue.received == []


async def test_unknown_symbol_is_refused_clearly(rig: Rig) -> None:
    verdicts, qty = position_verdicts(_signal("DOGE/USDT", "0.2"), Decimal(0), Decimal(100),
                                      rig.trader)  # fmt: skip
    assert verdicts[-1].reason == "binance does not list DOGE/USDT"
    assert not verdicts[-1].passed
    assert qty == 0
    exit_intent = rig.trader.policy.exit_intent(
        "DOGE/USDT", Decimal(100), Decimal("0.2"), rig.trader.filters("DOGE/USDT")
    )
    assert exit_intent == NoTrade("DOGE/USDT", "binance does not list DOGE/USDT")
    assert _refusal(await rig.broker.submit(_order("u1", "100", symbol="DOGE/USDT"))) == (
        "refused before submission to binance: binance does not list DOGE/USDT"
    )
    assert rig.venue.received == []


def test_a_venue_without_tick_size_precision_is_refused() -> None:
    with pytest.raises(VenueRequestError, match="not tick sizes"):
        CcxtTradingClient("bitfinex", api_key="k", api_secret="s", testnet=False)
