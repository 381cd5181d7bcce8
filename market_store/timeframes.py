"""Timeframes (``1m``, ``15m``, ``1h``, ``1d``, ``1w``): the one parser every package uses."""

from __future__ import annotations

import re
from datetime import timedelta

_UNIT_MS = {"s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_TIMEFRAME_RE = re.compile(r"([1-9][0-9]{0,3})([smhdw])", re.ASCII)
_MONTHS_RE = re.compile(r"([1-9][0-9]{0,3})M", re.ASCII)
_WEEK_OFFSET_MS = 4 * 86_400_000
"""Weekly candles open on Monday 00:00 UTC; the epoch fell on a Thursday."""


def parse_timeframe(timeframe: str) -> tuple[int, str]:
    """Split a timeframe such as ``"15m"`` into its count and unit.

    Parameters
    ----------
    timeframe
        A count from 1 to 9999 followed by one unit: ``s``, ``m``, ``h``, ``d`` or ``w``.

    Returns
    -------
    tuple[int, str]
        The count and the unit, e.g. ``(15, "m")``.

    Raises
    ------
    ValueError
        The text is not such a timeframe (months, ``"0h"`` and ``"1H"`` included).
    """
    match = _TIMEFRAME_RE.fullmatch(timeframe) if isinstance(timeframe, str) else None
    if match is None:
        raise ValueError(
            f"not a timeframe: {timeframe!r} (expected a count and one of s, m, h, d, w, "
            "e.g. '1m', '5m', '1h', '1d', '1w')"
        )
    return int(match.group(1)), match.group(2)


def timeframe_ms(timeframe: str) -> int:
    """Return the length of a timeframe in milliseconds: ``timeframe_ms("1h") == 3_600_000``.

    Raises
    ------
    ValueError
        See `parse_timeframe`.
    """
    count, unit = parse_timeframe(timeframe)
    return count * _UNIT_MS[unit]


def grid(timeframe: str) -> tuple[int, int]:
    """Return the step and offset in ms of the opens of a timeframe's candles.

    Candles of ``s``/``m``/``h``/``d`` timeframes open at multiples of their length since the
    epoch (offset 0); weekly ones at multiples of their length since Monday 1970-01-05.
    """
    count, unit = parse_timeframe(timeframe)
    return count * _UNIT_MS[unit], _WEEK_OFFSET_MS if unit == "w" else 0


def is_aligned(ts_open_ms: int, timeframe: str) -> bool:
    """Tell whether a candle of ``timeframe`` may open at ``ts_open_ms`` (see `grid`)."""
    step, offset = grid(timeframe)
    return (ts_open_ms - offset) % step == 0


def timeframe_delta(timeframe: str) -> timedelta:
    """Return the length of a bar of a timeframe a message may carry: ``timeframe_delta("1h")``.

    Besides those of `parse_timeframe`, months (``1M``, as ccxt writes them) are accepted at a
    nominal 30 days: messages may carry them, the store's grid cannot.

    Raises
    ------
    ValueError
        Neither such a timeframe nor a month count.
    """
    months = _MONTHS_RE.fullmatch(timeframe) if isinstance(timeframe, str) else None
    if months is not None:
        return timedelta(days=30 * int(months.group(1)))
    return timedelta(milliseconds=timeframe_ms(timeframe))
