"""Spot semantics, exits and rounding to venue filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from exec_core.positions import (
    ExitRules,
    MarketFilters,
    NoTrade,
    OrderIntent,
    PositionPolicy,
    PositionsSection,
    TrackedPosition,
    round_order,
)
from signal_schema.market import Bar

BTC = MarketFilters("BTC/USDT", Decimal("0.01"), Decimal("0.00001"), Decimal("0.00001"), Decimal(5))
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _bar(o: str, h: str, low: str, c: str, hour: int = 1) -> Bar:
    return Bar(ts_event=T0 + timedelta(hours=hour), ts_init=T0 + timedelta(hours=hour),
               venue="binance", symbol="BTC/USDT", timeframe="1h",
               ts_open=T0 + timedelta(hours=hour - 1), open=Decimal(o), high=Decimal(h),
               low=Decimal(low), close=Decimal(c), volume=Decimal(10))  # fmt: skip


def test_rounding_to_filters() -> None:
    assert round_order(BTC, "buy", Decimal("0.123456789")).quantity == Decimal("0.12345")
    assert round_order(BTC, "buy", Decimal("1"), price=Decimal("100.019")).price == Decimal(
        "100.01"
    )
    assert round_order(BTC, "sell", Decimal("1"), price=Decimal("100.011")).price == Decimal(
        "100.02"
    )
    low = round_order(BTC, "buy", Decimal("0.00005"), reference_price=Decimal(60000))
    assert low.reason is not None
    assert "notional" in low.reason
    assert round_order(BTC, "buy", Decimal("0.000001")).reason is not None


def _signal(
    policy: PositionPolicy, direction: str, held: str, *, symbol: str = "BTC/USDT",
    filters: MarketFilters = BTC,
) -> OrderIntent | NoTrade:  # fmt: skip
    return policy.on_signal(symbol=symbol, direction=direction, position_quantity=Decimal(held),
                            size=Decimal("0.1"), price=Decimal(60000), filters=filters)  # fmt: skip


def test_spot_semantics_and_pairlist() -> None:
    policy = PositionPolicy(PositionsSection(pairlist=("BTC/USDT",)))
    up = _signal(policy, "up", "0")
    assert isinstance(up, OrderIntent)
    assert (up.side, up.action) == ("buy", "open_long")
    add = _signal(policy, "up", "0.1")
    assert isinstance(add, OrderIntent)
    assert add.action == "add_long"
    close = _signal(policy, "down", "0.2")
    assert isinstance(close, OrderIntent)
    assert (close.side, close.quantity, close.action) == ("sell", Decimal("0.2"), "close_long")
    assert isinstance(_signal(policy, "down", "0"), NoTrade)
    assert isinstance(_signal(policy, "up", "0", symbol="ETH/USDT"), NoTrade)
    assert isinstance(_signal(policy, "flat", "0"), NoTrade)
    shorting = PositionPolicy(PositionsSection(pairlist=("BTC/USDT",), allow_short=True))
    assert isinstance(_signal(shorting, "down", "0"), NoTrade)  # spot market: no shorts
    margin = MarketFilters("BTC/USDT", BTC.tick_size, BTC.step_size, BTC.min_quantity,
                           Decimal(5), shortable=True)  # fmt: skip
    short = _signal(shorting, "down", "0", filters=margin)
    assert isinstance(short, OrderIntent)
    assert short.action == "open_short"


def test_exits() -> None:
    rules = ExitRules(PositionsSection(stop_loss_pct=Decimal(2), take_profit_pct=Decimal(4),
                                       trailing_stop_pct=Decimal(3)))  # fmt: skip
    pos = TrackedPosition("BTC/USDT", 1, Decimal(100), T0 + timedelta(hours=5), Decimal(100))
    pos, exit_ = rules.on_bar(pos, _bar("100", "103", "99", "102"))
    assert exit_ is None
    assert pos.best_price == Decimal(103)
    _, exit_ = rules.on_bar(pos, _bar("102", "102", "97.5", "98", 2))
    assert exit_ is not None
    assert exit_.reason == "stop_loss"
    _, exit_ = rules.on_bar(pos, _bar("102", "102", "99.8", "100", 2))
    assert exit_ is not None
    assert exit_.reason == "trailing_stop"
    _, exit_ = rules.on_bar(pos, _bar("102", "104.5", "101", "104", 2))
    assert exit_ is not None
    assert exit_.reason == "take_profit"
    _, exit_ = rules.on_bar(pos, _bar("102", "102.5", "101", "102", 5))
    assert exit_ is not None
    assert exit_.reason == "horizon"
