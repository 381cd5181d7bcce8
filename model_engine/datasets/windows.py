"""Sliding windows of feature rows, labelled by what happens after their last bar.

A window ending at bar ``t`` holds feature rows ``t - window + 1 .. t`` (each row computed from
bars ``<= t`` by `feature_spec.compute_batch`) and the label of bar ``t`` (bars ``t + 1 ..
t + horizon``). Windows are stored lazily as one float32 feature matrix plus end indices, so
50k windows of 64 x 37 do not need 470 MB; `Windows.x` materialises them when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from feature_spec import Ohlcv
from model_engine.datasets.labels import LabelSpec, make_labels

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Windows:
    """Labelled windows over one or more series (see `build_windows`).

    Attributes
    ----------
    features
        ``(n, f)`` float32 raw (unnormalised) feature rows of every series, stacked.
    end_index
        ``(m,)`` row of `features` each window ends at.
    window
        Rows per window.
    y
        ``(m,)`` int64 class in {0: down, 1: flat, 2: up}.
    ts_close_ms
        ``(m,)`` close time of the window's last bar: the moment the prediction is made.
    label_end_ms
        ``(m,)`` close time of the last bar the label uses (``ts_close_ms + horizon`` bars).
    fwd_return
        ``(m,)`` forward simple return over the horizon.
    """

    features: F32
    end_index: I64
    window: int
    y: I64
    ts_close_ms: I64
    label_end_ms: I64
    fwd_return: F64

    def __len__(self) -> int:
        return int(self.end_index.shape[0])

    @property
    def n_features(self) -> int:
        """Return the number of features per row."""
        return int(self.features.shape[1])

    def windows_at(self, rows: npt.ArrayLike) -> F32:
        """Return windows number `rows` (positions in this set) as ``(k, window, f)`` float32."""
        ends = self.end_index[np.asarray(rows, dtype=np.int64)]
        view = np.lib.stride_tricks.sliding_window_view(self.features, self.window, axis=0)
        return np.ascontiguousarray(view[ends - self.window + 1].transpose(0, 2, 1))

    @property
    def x(self) -> F32:
        """Return every window as ``(m, window, f)`` float32 (a copy: mind the memory)."""
        return self.windows_at(np.arange(len(self)))

    def take(self, rows: npt.ArrayLike) -> Windows:
        """Return the windows at positions `rows` (index array or boolean mask)."""
        pick = np.asarray(rows)
        return replace(
            self,
            end_index=self.end_index[pick],
            y=self.y[pick],
            ts_close_ms=self.ts_close_ms[pick],
            label_end_ms=self.label_end_ms[pick],
            fwd_return=self.fwd_return[pick],
        )

    def split(self, boundary_ms: int) -> tuple[Windows, Windows]:
        """Split in time at `boundary_ms` with purging.

        Returns
        -------
        tuple of Windows
            ``(before, after)``: `before` holds windows whose label ends at or before the
            boundary (no label uses data after it); `after` holds windows predicted after the
            boundary. Windows whose label straddles the boundary are dropped.
        """
        return self.take(self.label_end_ms <= boundary_ms), self.take(
            self.ts_close_ms > boundary_ms
        )

    def feature_rows(self) -> F32:
        """Return the distinct feature rows these windows cover (what a normaliser fits on)."""
        used = np.zeros(self.features.shape[0], dtype=bool)
        for offset in range(self.window):
            used[self.end_index - offset] = True
        return self.features[used]


def _span_ok(ok: npt.NDArray[np.bool_], first: I64, last: I64) -> npt.NDArray[np.bool_]:
    """Return, per pair, whether `ok` holds on every position ``first .. last`` inclusive."""
    total = np.concatenate(([0], np.cumsum(ok, dtype=np.int64)))
    return np.asarray(total[last + 1] - total[first] == last - first + 1)


def _common_step(diffs: I64) -> int:
    values, counts = np.unique(diffs, return_counts=True)
    return int(values[counts.argmax()]) if values.size else 1


def build_windows(
    ohlcv: Ohlcv,
    features: npt.ArrayLike,
    spec: LabelSpec,
    window: int,
    *,
    step_ms: int | None = None,
) -> Windows:
    """Cut one series into labelled windows.

    A window ending at bar ``t`` is kept when its rows are finite (past the feature warm-up),
    the horizon ``t + 1 .. t + h`` exists, and no candle is missing between its first row and
    the label's last bar (a gap would make "h bars ahead" mean more than h steps).

    Parameters
    ----------
    ohlcv
        The series, oldest first.
    features
        ``(len(ohlcv), f)`` rows from ``feature_spec.compute_batch`` on the same series.
    spec
        The label definition.
    window
        Rows per window (at least 1).
    step_ms
        Candle spacing; inferred as the most common spacing when None.

    Returns
    -------
    Windows
        In time order; may be empty.

    Raises
    ------
    ValueError
        If shapes disagree or `window` is below 1.
    """
    matrix = np.asarray(features, dtype=np.float32)
    n = len(ohlcv)
    if matrix.ndim != 2 or matrix.shape[0] != n:
        raise ValueError(f"features must be ({n}, f), got {matrix.shape}")
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    h = spec.horizon_bars
    ends = np.arange(window - 1, n - h, dtype=np.int64)
    if ends.size == 0:
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
        return Windows(matrix, empty_i, window, empty_i, empty_i, empty_i, empty_f)
    diffs = np.diff(ohlcv.ts_open_ms)
    step = step_ms or _common_step(diffs)
    regular = np.append(diffs == step, True)  # position i: bar i+1 follows bar i by one step
    finite = np.asarray(np.isfinite(matrix).all(axis=1), dtype=bool)
    keep = _span_ok(finite, ends - window + 1, ends)
    keep &= _span_ok(regular, ends - window + 1, ends + h - 1)
    ends = ends[keep]
    labels, fwd = make_labels(ohlcv, spec)
    return Windows(
        features=matrix,
        end_index=ends,
        window=window,
        y=labels[ends],
        ts_close_ms=ohlcv.ts_open_ms[ends] + step,
        label_end_ms=ohlcv.ts_open_ms[ends + h] + step,
        fwd_return=fwd[ends],
    )


def concat_windows(parts: Sequence[Windows]) -> Windows:
    """Stack windows of several series (same window and feature count) into one set."""
    if not parts:
        raise ValueError("nothing to concatenate")
    if len({(p.window, p.n_features) for p in parts}) != 1:
        raise ValueError("windows differ in length or feature count")
    offsets = np.cumsum([0] + [p.features.shape[0] for p in parts[:-1]])
    return Windows(
        features=np.concatenate([p.features for p in parts]),
        end_index=np.concatenate([p.end_index + o for p, o in zip(parts, offsets, strict=True)]),
        window=parts[0].window,
        y=np.concatenate([p.y for p in parts]),
        ts_close_ms=np.concatenate([p.ts_close_ms for p in parts]),
        label_end_ms=np.concatenate([p.label_end_ms for p in parts]),
        fwd_return=np.concatenate([p.fwd_return for p in parts]),
    )


__all__ = ["Windows", "build_windows", "concat_windows"]
