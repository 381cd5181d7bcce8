"""Calendar walk-forward folds with purge and embargo (indices into a `Dataset`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from model_engine.evaluation.config import ProtocolConfig

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True)
class TestPeriod:
    """One out-of-sample quarter: its label (``2021Q1``), bounds (ms) and sample indices."""

    label: str
    start_ms: int
    end_ms: int
    index: IntArray


@dataclass(frozen=True)
class Fold:
    """One model: fit on `train`, early-stop and pick thresholds on `val`, score `tests`."""

    year: int
    train_start_ms: int
    val_start_ms: int
    test_start_ms: int
    train: IntArray
    val: IntArray
    tests: tuple[TestPeriod, ...]


def _quarters(year: int, count: int) -> list[tuple[str, int, int]]:
    starts = [date(year, month, 1) for month in (1, 4, 7, 10)] + [date(year + 1, 1, 1)]
    return [(f"{year}Q{q + 1}", _ms(starts[q]), _ms(starts[q + 1])) for q in range(count)]


def make_folds(
    ts_close_ms: IntArray, valid: BoolArray, horizon: int, bar_ms: int, config: ProtocolConfig
) -> list[Fold]:
    """Build the yearly folds of `config` over a series.

    Parameters
    ----------
    ts_close_ms
        Decision time (bar close) of every row.
    valid
        Rows with complete inputs and a known forward return.
    horizon
        Label horizon in bars: a sample's label ends ``horizon * bar_ms`` after its decision.
    bar_ms
        Bar length.
    config
        The protocol.

    Returns
    -------
    list of Fold
        One per test year from ``config.oos_start`` while test samples exist; a training or
        validation sample is kept only if its label ends ``embargo_bars`` bars before the next
        period (validation, test) begins.
    """
    embargo = config.embargo_bars * bar_ms
    label_end = ts_close_ms + horizon * bar_ms
    folds: list[Fold] = []
    year = config.oos_start.year
    last = int(ts_close_ms[valid].max()) if valid.any() else 0
    while _ms(date(year, 1, 1)) <= last:
        if config.max_folds is not None and len(folds) >= config.max_folds:
            break
        test_start = max(_ms(date(year, 1, 1)), _ms(config.oos_start))
        train_start = _ms(date(year - config.train_years, 1, 1))
        val_start = test_start - int((test_start - train_start) * config.val_fraction)
        in_train = valid & (ts_close_ms >= train_start)
        train = np.flatnonzero(in_train & (label_end + embargo <= val_start))
        val = np.flatnonzero(
            in_train & (ts_close_ms >= val_start) & (label_end + embargo <= test_start)
        )
        tests = []
        for label, start, end in _quarters(year, config.test_quarters):
            index = np.flatnonzero(
                valid & (ts_close_ms >= max(start, test_start)) & (ts_close_ms < end)
            )
            if index.size:
                tests.append(TestPeriod(label, start, end, index.astype(np.int64)))
        if tests:
            folds.append(Fold(year, train_start, val_start, test_start, train, val, tuple(tests)))
        year += 1
    return folds


__all__ = ["Fold", "TestPeriod", "make_folds"]
