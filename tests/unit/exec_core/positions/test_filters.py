"""Venue filters from ccxt markets, refused markets, and the trader's defaults on paper."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from exec_core.positions import MarketFilters, round_order
from tests.unit.exec_core.approvals.engine_factory import make_rig

# As ccxt 4.5 parses Binance's BTCUSDT (precisionMode TICK_SIZE: steps are floats)
BTC_MARKET = {
    "symbol": "BTC/USDT",
    "active": True,
    "margin": False,
    "precision": {"amount": 1e-05, "price": 0.01, "base": 1e-08, "quote": 1e-08},
    "limits": {"amount": {"min": 1e-05, "max": 9000.0}, "cost": {"min": 5.0, "max": None}},
}


def test_ccxt_float_steps_become_exact_decimals() -> None:
    filters = MarketFilters.from_ccxt_market(BTC_MARKET, "binance")
    assert filters == MarketFilters("BTC/USDT", Decimal("0.01"), Decimal("0.00001"),
                                    Decimal("0.00001"), Decimal(5))  # fmt: skip
    assert filters.step_size.as_tuple() == (0, (1,), -5)
    assert round_order(filters, "buy", Decimal("0.123456789")).quantity == Decimal("0.12345")


def test_a_refused_market_refuses_every_order() -> None:
    halted = MarketFilters.from_ccxt_market({**BTC_MARKET, "active": False}, "binance")
    assert halted.refusal == "BTC/USDT is not trading on binance now"
    assert round_order(halted, "buy", Decimal(1)).reason == halted.refusal
    unlisted = MarketFilters.refused("DOGE/USDT", "binance does not list DOGE/USDT")
    assert round_order(unlisted, "sell", Decimal(1)).reason == "binance does not list DOGE/USDT"


def test_tightened_takes_the_stricter_minimum_and_a_default_step() -> None:
    venue = MarketFilters("BTC/USDT", Decimal("0.01"), Decimal(0), min_notional=Decimal(5))
    tight = venue.tightened(Decimal(10), Decimal("0.00000001"))
    assert (tight.step_size, tight.min_notional) == (Decimal("0.00000001"), Decimal(10))
    assert venue.tightened(Decimal(1), Decimal("0.00000001")).min_notional == Decimal(5)


async def test_paper_trader_keeps_the_default_filters(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path)
    assert rig.engine.trader.broker.filters("BTC/USDT") is None
    assert rig.engine.trader.filters("BTC/USDT") == MarketFilters(
        "BTC/USDT", step_size=Decimal("0.00000001"), min_notional=Decimal(10)
    )
