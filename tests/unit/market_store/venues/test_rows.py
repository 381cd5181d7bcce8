"""ccxt rows become sound, ordered, deduplicated candles; malformed ones are named and skipped."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from market_store.candles import Candle
from market_store.venues.rows import to_candle, to_page

H = 3_600_000
T0 = 1_514_764_800_000  # 2018-01-01 00:00 UTC, the first candle of BTC_USDT-1h


def row(i: int, close: float = 13529.01) -> list[object]:
    return [T0 + i * H, 13715.65, 13715.65, 13400.01, close, 443.356199]


def test_floats_come_back_as_the_exact_decimals_the_venue_sent() -> None:
    candle = to_candle([T0, 0.1, 0.30000000000000004, 0.1, 0.2, 1e-08], "1h")
    assert candle == Candle(T0, Decimal("0.1"), Decimal("0.30000000000000004"), Decimal("0.1"),
                            Decimal("0.2"), Decimal("0.00000001"))  # fmt: skip
    assert to_candle(row(0), "1h").close == Decimal("13529.01")
    assert to_candle([T0, "8727.14000000", "8746.94", "8640.33", "8720.0", "1"], "1h").close == 8720


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("garbage", "not a \\[time"),
        ([T0, 1, 1, 1], "not a \\[time"),
        (["x", 1, 1, 1, 1, 1], "open time"),
        ([True, 1, 1, 1, 1, 1], "open time"),
        ([T0 + 1, 1, 1, 1, 1, 1], "grid"),
        ([T0, None, 1, 1, 1, 1], "open is None"),
        ([T0, "abc", 1, 1, 1, 1], "open is not a number"),
        ([T0, float("nan"), 1, 1, 1, 1], "open is nan"),
        ([T0, 1, 1, 2, 1, 1], "low 2 is above"),
        ([T0, 1, 0.5, 0.5, 1, 1], "high 0.5 is below"),
        ([T0, 1, 1, 1, 1, -1], "volume must be >= 0"),
        ([T0, 0, 1, 0, 1, 1], "open must be a positive price"),
    ],
)
def test_malformed_rows_are_refused_with_the_reason(bad: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        to_candle(bad, "1h")


def test_a_page_is_ordered_deduplicated_and_skips_malformed_rows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows = [row(2), row(0), row(1), row(0), [T0 + 3 * H, 1, 1, 2, 1, 1], row(2)]
    with caplog.at_level(logging.WARNING):
        page = to_page(rows, "1h", H, closed_by_ms=None, context="venue BTC/USDT 1h")
    assert [c.ts_open_ms for c in page.candles] == [T0, T0 + H, T0 + 2 * H]
    assert (page.duplicates, page.malformed, page.forming) == (2, 1, 0)
    assert "venue BTC/USDT 1h: malformed candle skipped: low 2 is above" in caplog.text


def test_conflicting_duplicates_keep_the_last_and_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    page = to_page([row(0, 13500.0), row(0, 13529.01)], "1h", H, closed_by_ms=None, context="v")
    assert page.candles == [to_candle(row(0), "1h")]
    assert "conflicting duplicates" in caplog.text


def test_the_candle_still_forming_never_comes_out() -> None:
    rows = [row(0), row(1), row(2)]
    page = to_page(rows, "1h", H, closed_by_ms=T0 + 2 * H + 1_800_000, context="v")
    assert [c.ts_open_ms for c in page.candles] == [T0, T0 + H]
    assert page.forming == 1
    closed = to_page(rows, "1h", H, closed_by_ms=T0 + 3 * H, context="v")
    assert len(closed.candles) == 3
