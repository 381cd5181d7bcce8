"""Field types shared by every message: exact decimals, UTC times, identifiers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

_DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
_DECIMAL_RE = re.compile(_DECIMAL_PATTERN, re.ASCII)


def _parse_decimal(value: object) -> Decimal:
    """Accept a decimal string (or int/Decimal from Python), never a float."""
    if isinstance(value, bool):
        raise ValueError("a decimal must be a string such as '123.45', not a boolean")
    if isinstance(value, Decimal):
        parsed = value
    elif isinstance(value, int):
        parsed = Decimal(value)
    elif isinstance(value, str):
        # The wire form is the schema's pattern; Decimal() alone would also take ' 1', '1_000'.
        if _DECIMAL_RE.fullmatch(value) is None:
            raise ValueError(f"not a decimal string such as '123.45': {value!r}")
        parsed = Decimal(value)
    else:
        raise ValueError(
            f"a decimal must be a string such as '123.45' (floats lose money), "
            f"got {type(value).__name__}"
        )
    if not parsed.is_finite():
        raise ValueError(f"a decimal must be finite, got {value!r}")
    return parsed


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"must be >= 0, got {value}")
    return value


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError(f"must be > 0, got {value}")
    return value


def _fixed_point(value: Decimal) -> str:
    """Write without exponent: '0.00000001', never '1E-8'."""
    return format(value, "f")


DecimalStr = Annotated[
    Decimal,
    PlainValidator(_parse_decimal),
    PlainSerializer(_fixed_point, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _DECIMAL_PATTERN}),
]
"""Exact decimal, a string on the wire (prices, quantities, money)."""

NonNegativeDecimal = Annotated[DecimalStr, AfterValidator(_non_negative)]
PositiveDecimal = Annotated[DecimalStr, AfterValidator(_positive)]


def _require_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time must carry its UTC offset (e.g. '2024-01-01T00:00:00Z')")
    return value.astimezone(UTC)


def _reject_epoch_numbers(value: object) -> object:
    if isinstance(value, int | float):
        raise ValueError("a time must be an ISO-8601 string such as '2024-01-01T00:00:00Z'")
    return value


UtcDatetime = Annotated[
    datetime, BeforeValidator(_reject_epoch_numbers), AfterValidator(_require_utc)
]
"""Timezone-aware time, normalised to UTC, ISO-8601 on the wire."""

Identifier = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$")]
"""Opaque id: letters, digits and `_.:-`."""

Symbol = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,20}/[A-Z0-9]{1,20}$")]
"""Unified market symbol, BASE/QUOTE in upper case (e.g. BTC/USDT)."""

Venue = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]
"""Venue id as ccxt names it (binance, bybit, okx) or `replay`/`paper`."""

Timeframe = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,3}[smhdwM]$")]
"""Bar timeframe as ccxt writes it (1m, 5m, 1h, 1d)."""

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Direction = Literal["up", "down", "flat"]
Side = Literal["buy", "sell"]
ShortText = Annotated[str, Field(max_length=2_000)]
