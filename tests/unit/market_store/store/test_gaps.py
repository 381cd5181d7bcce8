"""`find_gap` counts the candles that fit between two opens, as the data README lists them."""

from __future__ import annotations

import pytest

from market_store.store import Gap, find_gap

HOUR = 3_600_000


def test_adjacent_candles_have_no_gap() -> None:
    assert find_gap(0, HOUR, HOUR) is None


def test_the_feb_2018_binance_halt() -> None:
    # README: 2018-02-08 00:00 -> 02-09 10:00 (33 missing).
    prev, nxt = 1_518_048_000_000, 1_518_170_400_000
    gap = find_gap(prev, nxt, HOUR)
    assert gap == Gap(prev, nxt, HOUR, 33)
    assert gap.first_missing_open_ms == prev + HOUR
    assert gap.last_missing_open_ms == nxt - HOUR


def test_an_off_grid_jump_still_counts_as_a_gap() -> None:
    gap = find_gap(0, HOUR + HOUR // 2, HOUR)
    assert gap is not None
    assert gap.missing == 1


def test_timeframe_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        find_gap(0, HOUR, 0)
