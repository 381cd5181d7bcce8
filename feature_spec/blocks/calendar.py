"""Cyclical time encodings of the bar's open time (UTC): time of day and time of week."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import talib

from feature_spec.blocks.base import Block, BlockStream
from feature_spec.ohlcv import FloatArray, IntArray, Ohlcv

DAY_MS = 86_400_000
WEEK_MS = 7 * DAY_MS
MONDAY_SHIFT_MS = 3 * DAY_MS
"""1970-01-01 was a Thursday: shifting by three days puts Monday 00:00 UTC at phase 0."""
TAU = 2.0 * math.pi


def _phases(ts_open_ms: IntArray) -> tuple[FloatArray, FloatArray]:
    day: FloatArray = (ts_open_ms % DAY_MS) / DAY_MS * TAU
    week: FloatArray = ((ts_open_ms + MONDAY_SHIFT_MS) % WEEK_MS) / WEEK_MS * TAU
    return day, week


@dataclass(frozen=True)
class Calendar(Block):
    """Sine and cosine of the phase within the UTC day and the UTC week (Monday = 0)."""

    kind: ClassVar[str] = "calendar"
    formula: ClassVar[str] = (
        "d = 2 pi (ts_open mod day) / day; w = 2 pi ((ts_open + 3 days) mod week) / week; "
        "(tod_sin, tod_cos, dow_sin, dow_cos) = (sin d, cos d, sin w, cos w)"
    )

    @property
    def names(self) -> tuple[str, ...]:
        return ("tod_sin", "tod_cos", "dow_sin", "dow_cos")

    @property
    def warmup(self) -> int:
        return 1

    def batch(self, bars: Ohlcv) -> list[FloatArray]:
        day, week = _phases(bars.ts_open_ms)
        return [talib.SIN(day), talib.COS(day), talib.SIN(week), talib.COS(week)]

    def open(self, bars: Ohlcv) -> BlockStream:
        return _CalendarStream()


class _CalendarStream:
    def update(
        self, ts_open_ms: int, open_: float, high: float, low: float, close: float, volume: float
    ) -> tuple[float, ...]:
        day = (ts_open_ms % DAY_MS) / DAY_MS * TAU
        week = ((ts_open_ms + MONDAY_SHIFT_MS) % WEEK_MS) / WEEK_MS * TAU
        return (math.sin(day), math.cos(day), math.sin(week), math.cos(week))


__all__ = ["Calendar"]
