"""File names map to series and back; a row keeps its decimal text exactly as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from market_store.candles import MarketKey
from market_store.store.csvfile import RowError, RowParser, format_row, key_of, relative_path
from tests.unit.market_store.store.slices import real_lines


def test_names_map_to_keys_and_back() -> None:
    path = Path("/data/ohlcv/binance/BTC_USDT-1h.csv.gz")
    key = key_of(path)
    assert key == MarketKey("binance", "BTC/USDT", "1h")
    assert relative_path(key) == Path("ohlcv/binance/BTC_USDT-1h.csv.gz")


@pytest.mark.parametrize(
    "name",
    ["BTC_USDT-taker_flow-15m.csv.gz", "btc_usdt-1h.csv.gz", "BTC_USDT-1M.csv.gz", "BTC-1h.csv"],
)
def test_other_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"not a candle file name|not a timeframe"):
        key_of(Path("ohlcv/binance") / name)


def test_a_folder_that_is_no_venue_is_refused() -> None:
    with pytest.raises(ValueError, match="is not a venue id"):
        key_of(Path("My Data/BTC_USDT-1h.csv.gz"))


def test_a_symbol_that_cannot_be_a_file_name_is_refused() -> None:
    with pytest.raises(ValueError, match="symbols must be like BTC/USDT"):
        relative_path(MarketKey("bybit", "BTC/USDT:USDT", "1h"))


def test_real_rows_round_trip_as_text() -> None:
    parse = RowParser("5m")
    for line in real_lines("ADA", "5m", 500):
        assert format_row(parse(line.rstrip("\n").split(","))) == line


def test_a_zero_price_is_refused_with_its_reason() -> None:
    fields = real_lines("BTC", "1h", 1)[0].rstrip("\n").split(",")
    fields[3] = "0"
    with pytest.raises(RowError, match="low must be a positive price, got 0"):
        RowParser("1h")(fields)
