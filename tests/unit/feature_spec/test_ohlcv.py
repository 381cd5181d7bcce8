"""`Ohlcv`: validated, contiguous candle columns."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from feature_spec import Ohlcv


def test_float_times_become_int64_and_columns_float64() -> None:
    bars = Ohlcv([0.0, 60_000.0], [1, 2], [1, 2], [1, 2], [1, 2], [0, 5])
    assert bars.ts_open_ms.dtype == np.int64
    assert bars.close.dtype == np.float64
    assert bars.ts_open_ms.tolist() == [0, 60_000]
    assert len(bars) == 2
    assert "2 bars" in repr(bars)


@pytest.mark.parametrize(
    ("ts", "close", "message"),
    [
        ([0, 0], [1.0, 1.0], "strictly increase"),
        ([1, 0], [1.0, 1.0], "strictly increase"),
        ([0.5, 1.0], [1.0, 1.0], "whole milliseconds"),
        ([0, 1], [1.0], "close has shape"),
        ([[0, 1]], [[1.0, 1.0]], "one-dimensional"),
        (["a", "b"], [1.0, 1.0], "integers"),
    ],
)
def test_bad_columns_are_refused(ts: npt.ArrayLike, close: npt.ArrayLike, message: str) -> None:
    ones = [1.0] * 2
    with pytest.raises(ValueError, match=message):
        Ohlcv(ts, ones, ones, ones, close, ones)


def test_window_and_rows_round_trip() -> None:
    table = np.array([[i * 300_000, 1.0 + i, 2.0 + i, 0.5 + i, 1.5 + i, 10.0] for i in range(5)])
    bars = Ohlcv.from_rows(table)
    part = bars.window(1, 3)
    assert part.ts_open_ms.tolist() == [300_000, 600_000]
    assert part.high.tolist() == [3.0, 4.0]
    assert len(Ohlcv.empty()) == 0
