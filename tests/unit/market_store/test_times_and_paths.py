"""Times as users type them (absolute, or relative to the market's clock), and NTX_* paths."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from market_store.paths import candle_db_path, data_dir, ntx_home
from market_store.timeframes import timeframe_delta
from market_store.times import is_relative, iso_utc, parse_time_ms

DAY = 86_400_000
NOW = 1_778_956_200_000  # 2026-05-16 18:30 UTC


def test_absolute_times_are_utc() -> None:
    assert parse_time_ms("2024-01-01") == 1_704_067_200_000
    assert parse_time_ms("2024-01-01T12:00Z") == 1_704_067_200_000 + DAY // 2
    assert parse_time_ms("2024-01-01T13:00+01:00") == 1_704_067_200_000 + DAY // 2
    assert parse_time_ms("1704067200000") == 1_704_067_200_000
    assert iso_utc(1_704_067_200_000) == "2024-01-01T00:00:00Z"


def test_relative_times_are_read_on_the_given_clock_only() -> None:
    assert is_relative("now")
    assert is_relative("now-21d")
    assert not is_relative("2024-01-01")
    assert parse_time_ms("now", now_ms=NOW) == NOW
    assert parse_time_ms("now-21d", now_ms=NOW) == NOW - 21 * DAY
    assert parse_time_ms("now-6h", now_ms=NOW) == NOW - 6 * 3_600_000
    with pytest.raises(ValueError, match="market's clock"):
        parse_time_ms("now-21d")
    with pytest.raises(ValueError, match="not a time"):
        parse_time_ms("yesterday")
    with pytest.raises(ValueError, match="not a time"):
        parse_time_ms("now-3y", now_ms=NOW)


def test_home_and_data_dir_come_from_the_environment() -> None:
    assert ntx_home({}) == Path("~/.neurotradex").expanduser()
    assert ntx_home({"NTX_HOME": ""}) == Path("~/.neurotradex").expanduser()
    assert ntx_home({"NTX_HOME": "/srv/ntx"}) == Path("/srv/ntx")
    assert data_dir({}) is None
    assert data_dir({"NTX_DATA_DIR": "/srv/data"}) == Path("/srv/data")
    assert data_dir({"NTX_DATA_DIR": "rel"}) == Path.cwd() / "rel"
    assert candle_db_path(Path("/srv/ntx")) == Path("/srv/ntx/data/candles.sqlite")


def test_bar_lengths_include_nominal_months_for_messages() -> None:
    assert timeframe_delta("15m") == timedelta(minutes=15)
    assert timeframe_delta("1w") == timedelta(days=7)
    assert timeframe_delta("1M") == timedelta(days=30)
    with pytest.raises(ValueError, match="not a timeframe"):
        timeframe_delta("1y")
