"""Epoch milliseconds and UTC datetimes convert exactly both ways (no float on the path)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from data_core.clock import SimClock, ms_to_utc, utc_to_ms


def test_round_trip_is_exact_to_the_millisecond() -> None:
    for ms in (0, 1, 999, 1_514_764_800_000, 1_777_546_800_001, 4_102_444_799_999):
        assert utc_to_ms(ms_to_utc(ms)) == ms
        assert ms_to_utc(ms) == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def test_known_candle_open_and_other_offsets() -> None:
    assert ms_to_utc(1_704_067_200_000) == datetime(2024, 1, 1, tzinfo=UTC)
    paris = datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    assert utc_to_ms(paris) == 1_704_067_200_000
    assert utc_to_ms(datetime(2024, 1, 1, 0, 0, 0, 999, tzinfo=UTC)) == 1_704_067_200_000


def test_sim_clock_reports_its_time_exactly() -> None:
    assert SimClock(1_777_546_800_001).now() == ms_to_utc(1_777_546_800_001)
