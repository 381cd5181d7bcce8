"""Field types: exact decimals, UTC times, identifiers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from signal_schema.primitives import (
    DecimalStr,
    Identifier,
    NonNegativeDecimal,
    PositiveDecimal,
    Sha256,
    Symbol,
    Timeframe,
    UtcDatetime,
)

DECIMAL: TypeAdapter[Decimal] = TypeAdapter(DecimalStr)
POSITIVE: TypeAdapter[Decimal] = TypeAdapter(PositiveDecimal)
NON_NEGATIVE: TypeAdapter[Decimal] = TypeAdapter(NonNegativeDecimal)
TIME: TypeAdapter[datetime] = TypeAdapter(UtcDatetime)


@pytest.mark.parametrize("text", ["0.10", "42475.23", "-0.06518", "0.00001500", "0.00000001", "7"])
def test_decimal_string_round_trips_exactly(text: str) -> None:
    value = DECIMAL.validate_json(f'"{text}"')
    assert value == Decimal(text)
    assert DECIMAL.dump_json(value) == f'"{text}"'.encode()


@pytest.mark.parametrize("text", ["1E-8", "1e999999999", "1.5e3"])
def test_decimal_exponents_are_refused_on_the_wire(text: str) -> None:
    with pytest.raises(ValidationError, match="not a decimal string"):
        DECIMAL.validate_json(f'"{text}"')


def test_decimal_made_in_python_is_written_without_exponent() -> None:
    assert DECIMAL.dump_json(Decimal("1E-8")) == b'"0.00000001"'
    assert DECIMAL.dump_json(Decimal("2.5E+3")) == b'"2500"'


@pytest.mark.parametrize("raw", ["1704067200", "1704067200.5"])
def test_times_as_epoch_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="ISO-8601"):
        TIME.validate_json(raw)


def test_decimal_from_an_integer_or_decimal_is_written_as_a_string() -> None:
    assert DECIMAL.dump_json(DECIMAL.validate_json("42475")) == b'"42475"'
    assert DECIMAL.dump_json(DECIMAL.validate_python(5)) == b'"5"'
    assert DECIMAL.dump_json(DECIMAL.validate_python(Decimal("0.10"))) == b'"0.10"'


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0.1", "floats lose money"),
        ("4.2e4", "floats lose money"),
        ("true", "not a boolean"),
        ("null", "got NoneType"),
        ('"NaN"', "not a decimal string"),
        ('"Infinity"', "not a decimal string"),
        ('"abc"', "not a decimal string"),
        ('"12,5"', "not a decimal string"),
        ('"1_000"', "not a decimal string"),
        ('" 1"', "not a decimal string"),
        ('"+1"', "not a decimal string"),
        ('".5"', "not a decimal string"),
        ('""', "not a decimal string"),
        ('"\u0661"', "not a decimal string"),  # ARABIC-INDIC DIGIT ONE: Decimal() takes it
    ],
)
def test_decimal_rejects_non_decimal_strings_with_a_clear_message(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DECIMAL.validate_json(raw)


@pytest.mark.parametrize("value", [0.1, float("nan"), True])
def test_decimal_rejects_floats_and_bools_from_python(value: Any) -> None:
    with pytest.raises(ValidationError, match="a decimal must be"):
        DECIMAL.validate_python(value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_decimal_rejects_non_finite_decimals(value: Decimal) -> None:
    with pytest.raises(ValidationError, match="must be finite"):
        DECIMAL.validate_python(value)


def test_positive_decimal_rejects_zero_and_negatives() -> None:
    assert POSITIVE.validate_json('"0.00001"') == Decimal("0.00001")
    for raw in ('"0"', '"-1"', '"0.000"'):
        with pytest.raises(ValidationError, match="must be > 0"):
            POSITIVE.validate_json(raw)


def test_non_negative_decimal_takes_zero_and_rejects_negatives() -> None:
    assert NON_NEGATIVE.validate_json('"0"') == 0
    with pytest.raises(ValidationError, match="must be >= 0"):
        NON_NEGATIVE.validate_json('"-0.01"')


def test_naive_time_is_rejected() -> None:
    with pytest.raises(ValidationError, match="UTC offset"):
        TIME.validate_json('"2024-01-01T00:00:00"')
    with pytest.raises(ValidationError, match="UTC offset"):
        TIME.validate_python(datetime(2024, 1, 1))  # noqa: DTZ001


def test_offset_time_is_converted_to_utc_and_written_with_z() -> None:
    value = TIME.validate_json('"2024-01-01T02:30:00.250+02:00"')
    assert value.utcoffset() == timedelta(0)
    assert value == datetime(2024, 1, 1, 0, 30, 0, 250000, tzinfo=UTC)
    assert TIME.dump_json(value) == b'"2024-01-01T00:30:00.250000Z"'


def test_python_time_in_another_zone_is_converted() -> None:
    tokyo = timezone(timedelta(hours=9))
    value = TIME.validate_python(datetime(2024, 1, 1, 9, 0, tzinfo=tokyo))
    assert value.tzinfo is UTC
    assert TIME.dump_json(value) == b'"2024-01-01T00:00:00Z"'


@pytest.mark.parametrize("good", ["01HK3TQ8W5C9J2ZV7E4M6T1B0X", "ntx-1", "a:b.c_d", "x" * 128])
def test_identifier_accepts_opaque_ids(good: str) -> None:
    assert TypeAdapter(Identifier).validate_python(good) == good


@pytest.mark.parametrize("bad", ["", "has space", "x" * 129, "slash/id", "é"])
def test_identifier_rejects_bad_ids(bad: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Identifier).validate_python(bad)


@pytest.mark.parametrize("bad", ["btc/usdt", "BTCUSDT", "BTC/USDT:USDT", "BTC-USDT", "/USDT"])
def test_symbol_must_be_unified_upper_case(bad: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Symbol).validate_python(bad)


@pytest.mark.parametrize("good", ["1m", "15m", "1h", "4h", "1d", "1w", "1M"])
def test_timeframe_accepts_ccxt_names(good: str) -> None:
    assert TypeAdapter(Timeframe).validate_python(good) == good


@pytest.mark.parametrize("bad", ["0m", "1x", "h", "12345m", "1H "])
def test_timeframe_rejects_other_names(bad: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Timeframe).validate_python(bad)


def test_sha256_is_64_lower_case_hex() -> None:
    adapter = TypeAdapter(Sha256)
    digest = "ab" * 32
    assert adapter.validate_python(digest) == digest
    for bad in (digest.upper(), digest[:-1], digest + "0"):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)
