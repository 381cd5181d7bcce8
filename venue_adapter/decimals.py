"""Exact `Decimal`s from the numbers ccxt returns (floats, strings, ints or None).

ccxt parses prices as float64; a float goes through its shortest repr, which gives back the
venue's exact decimal for any number of up to 15 significant digits (``0.1`` stays ``0.1``,
not ``0.1000000000000000055511151231257827``).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation


def exact_decimal(value: object, name: str = "value") -> Decimal:
    """Return `value` as the exact, finite `Decimal` it stands for.

    Raises
    ------
    ValueError
        `value` is None, a bool, not a number, or not finite; the message names `name`.

    Examples
    --------
    >>> exact_decimal(0.1)
    Decimal('0.1')
    >>> exact_decimal("1e-05")
    Decimal('0.00001')
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name} is {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} is {value!r}")
        return Decimal(repr(value))
    if isinstance(value, int | str | Decimal):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{name} is not a number: {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"{name} is {value!r}")
        return number
    raise ValueError(f"{name} has type {type(value).__name__}")


def decimal_or_zero(value: object, name: str = "value") -> Decimal:
    """Return `exact_decimal` of `value`, or 0 when ccxt gave None (a field the venue omits)."""
    return Decimal(0) if value is None else exact_decimal(value, name)
