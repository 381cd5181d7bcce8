"""How sure a model's lead over a baseline is: paired differences with 95 % intervals.

Sharpe: a circular block bootstrap of the hourly net returns (blocks of one week keep the
serial dependence of returns and positions); both strategies are resampled with the same
blocks, so the interval is of the paired difference. Rank IC: the per-quarter differences, a
t interval over quarters.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats  # type: ignore[import-untyped]

from model_engine.evaluation import metrics as m
from model_engine.evaluation.models import FloatArray

BLOCK_BARS = 168
DRAWS = 2000
LEVEL = 0.95


def sharpe_difference(
    challenger: FloatArray,
    baseline: FloatArray,
    periods_per_year: float,
    block: int = BLOCK_BARS,
    draws: int = DRAWS,
    seed: int = 0,
) -> dict[str, float | None]:
    """Return ``diff`` (challenger - baseline Sharpe), its 95 % ``low``/``high`` and ``p_ahead``.

    ``p_ahead`` is the share of bootstrap draws in which the challenger's Sharpe is higher.
    Raises ValueError when the two series differ in length.
    """
    if challenger.shape != baseline.shape:
        raise ValueError("the two strategies must cover the same bars")
    a, b = m.sharpe(challenger, periods_per_year), m.sharpe(baseline, periods_per_year)
    if a is None or b is None:
        return {"diff": None, "low": None, "high": None, "p_ahead": None}
    n = challenger.size
    rng = np.random.default_rng(seed)
    blocks = math.ceil(n / block)
    offsets = np.arange(block)
    found: list[float] = []
    for _ in range(draws):
        starts = rng.integers(0, n, size=blocks)
        index = ((starts[:, None] + offsets[None, :]) % n).ravel()[:n]
        ours = m.sharpe(challenger[index], periods_per_year)
        theirs = m.sharpe(baseline[index], periods_per_year)
        if ours is not None and theirs is not None:  # a flat resample has no Sharpe
            found.append(ours - theirs)
    diffs = np.asarray(found, dtype=np.float64)
    tail = (1.0 - LEVEL) / 2 * 100
    return {
        "diff": a - b,
        "low": float(np.percentile(diffs, tail)),
        "high": float(np.percentile(diffs, 100 - tail)),
        "p_ahead": float(np.mean(diffs > 0)),
    }


def rank_ic_difference(
    challenger: list[float | None], baseline: list[float | None]
) -> dict[str, float | int | None]:
    """Return the mean per-quarter rank IC difference, its 95 % t interval and ``quarters``."""
    pairs = [
        (a, b) for a, b in zip(challenger, baseline, strict=True) if a is not None and b is not None
    ]
    if len(pairs) < 2:
        return {"diff": None, "low": None, "high": None, "quarters": len(pairs)}
    diffs = np.array([a - b for a, b in pairs], dtype=np.float64)
    mean = float(diffs.mean())
    half = float(
        stats.t.ppf(0.5 + LEVEL / 2, diffs.size - 1) * diffs.std(ddof=1) / math.sqrt(diffs.size)
    )
    return {"diff": mean, "low": mean - half, "high": mean + half, "quarters": int(diffs.size)}


__all__ = ["BLOCK_BARS", "DRAWS", "rank_ic_difference", "sharpe_difference"]
