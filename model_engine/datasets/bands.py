"""Flat bands fitted per series on training windows: the walk-forward protocol's labels."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from model_engine.datasets.labels import classify, flat_band
from model_engine.datasets.windows import Windows


def quantile_band_labels(
    windows: Windows, series_starts: npt.ArrayLike, boundary_ms: int, fraction: float
) -> tuple[Windows, list[float]]:
    """Relabel fixed-band `windows` with one flat band per series.

    Each series' band holds `fraction` of its training windows' forward returns (those whose
    label ends at or before `boundary_ms`, as `Windows.split` keeps them), so no later return
    sets it.

    Parameters
    ----------
    series_starts
        First feature row of each stacked series (`concat_windows` order), ascending.

    Returns
    -------
    tuple
        The relabelled windows and each series' band as a simple return (0 without training
        windows).

    Raises
    ------
    ValueError
        If `fraction` is not in ``[0, 1)``.
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"the flat fraction must be in [0, 1), got {fraction}")
    starts = np.asarray(series_starts, dtype=np.int64)
    series = np.searchsorted(starts, windows.end_index, side="right") - 1
    training = windows.label_end_ms <= boundary_ms
    y, bands = windows.y.copy(), []
    for k in range(starts.size):
        mine = series == k
        band = flat_band(windows.fwd_return[mine & training], fraction)
        y[mine] = classify(windows.fwd_return[mine], band)
        bands.append(band)
    return replace(windows, y=y), bands


__all__ = ["quantile_band_labels"]
