"""Batch features: a whole series at once (training, backtests, checks)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from feature_spec.ohlcv import FloatArray, Ohlcv
from feature_spec.spec import FeatureSpec


def news_matrix(spec: FeatureSpec, news: npt.ArrayLike | None, rows: int) -> FloatArray:
    """Return the ``(rows, len(spec.news_names))`` news columns; zeros when `news` is None.

    Raises
    ------
    ValueError
        If `news` has another shape.
    """
    width = len(spec.news_names)
    if news is None:
        return np.zeros((rows, width), dtype=np.float64)
    matrix = np.asarray(news, dtype=np.float64)
    if matrix.shape != (rows, width):
        raise ValueError(f"news must have shape {(rows, width)}, got {matrix.shape}")
    return matrix


def compute_batch(spec: FeatureSpec, ohlcv: Ohlcv, news: npt.ArrayLike | None = None) -> FloatArray:
    """Compute every feature of `spec` for every bar of `ohlcv`.

    Row ``t`` uses bars ``0 .. t`` only (and news row ``t``, which covers items published
    before bar ``t`` closed).

    Parameters
    ----------
    spec
        The feature spec.
    ohlcv
        The series, oldest first.
    news
        ``(n, len(spec.news_names))`` news columns aligned with the bars (see
        `feature_spec.news.news_features`), or None for "no news" (zeros).

    Returns
    -------
    numpy.ndarray
        ``(n, len(spec.names))`` float64; rows before ``spec.warmup_bars`` are NaN.
    """
    rows = len(ohlcv)
    out = np.full((rows, len(spec.names)), np.nan, dtype=np.float64)
    news_columns = news_matrix(spec, news, rows)
    if rows <= spec.warmup_bars:
        return out
    column = 0
    for block in spec.blocks:
        for values in block.batch(ohlcv):
            out[:, column] = values
            column += 1
    out[:, column:] = news_columns
    out[: spec.warmup_bars] = np.nan
    return out


__all__ = ["compute_batch", "news_matrix"]
