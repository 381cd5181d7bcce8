"""Timeframes parse strictly; candles are checked for the invariants every real row holds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from market_store.candles import (
    Candle,
    MarketKey,
    candle_error,
    is_aligned,
    parse_timeframe,
    timeframe_ms,
)


@pytest.mark.parametrize(
    ("timeframe", "ms"),
    [("1s", 1_000), ("1m", 60_000), ("5m", 300_000), ("1h", 3_600_000), ("4h", 14_400_000),
     ("1d", 86_400_000), ("1w", 604_800_000)],
)  # fmt: skip
def test_timeframe_ms(timeframe: str, ms: int) -> None:
    assert timeframe_ms(timeframe) == ms


@pytest.mark.parametrize("bad", ["", "h", "0h", "1H", "1M", "1y", "1.5h", " 1h", "10000m", "-1h"])
def test_bad_timeframes_say_what_is_expected(bad: str) -> None:
    with pytest.raises(ValueError, match=r"not a timeframe: .*s, m, h, d, w"):
        parse_timeframe(bad)


def test_parse_timeframe_and_key() -> None:
    assert parse_timeframe("15m") == (15, "m")
    key = MarketKey("binance", "BTC/USDT", "1h")
    assert key.timeframe_ms == 3_600_000
    assert str(key) == "binance:BTC/USDT:1h"


def test_weekly_candles_open_on_monday() -> None:
    monday = 1_704_672_000_000  # 2024-01-08 00:00 UTC
    assert is_aligned(monday, "1w")
    assert not is_aligned(monday + 86_400_000, "1w")
    assert is_aligned(monday + 86_400_000, "1d")
    assert not is_aligned(monday + 1, "1s")


def candle(o: str, h: str, low: str, c: str, v: str = "1") -> Candle:
    return Candle(0, Decimal(o), Decimal(h), Decimal(low), Decimal(c), Decimal(v))


def test_a_real_zero_volume_candle_is_sound() -> None:
    # BTC/USDT 1h 2023-03-24 12:00, the last candle before the Binance spot halt.
    assert candle_error(candle("28080.0", "28080.0", "28080.0", "28080.0", "0.0")) is None


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (candle("10", "9", "8", "9.5"), "high 9 is below max(open, close) 10"),
        (candle("10", "12", "10.5", "11"), "low 10.5 is above min(open, close) 10"),
        (candle("0", "1", "0", "1"), "open must be a positive price, got 0"),
        (candle("1", "1", "-1", "1"), "low must be a positive price, got -1"),
        (candle("1", "1", "1", "1", "-0.1"), "volume must be >= 0, got -0.1"),
        (candle("1", "Infinity", "1", "1"), "high must be a positive price, got Infinity"),
        (candle("NaN", "1", "1", "1"), "open must be a positive price, got NaN"),
    ],
)
def test_unsound_candles_are_described(bad: Candle, reason: str) -> None:
    assert candle_error(bad) == reason
