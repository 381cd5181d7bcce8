"""Out-of-sample metrics: direction accuracy, rank IC, and a long/flat strategy net of fees.

A score is ``P(up) - P(down)`` (or any number whose sign is the predicted direction); the
realised direction is the sign of the forward return (zero returns are left out of accuracies).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _directions(score: FloatArray, fwd: FloatArray) -> tuple[FloatArray, FloatArray]:
    moved = fwd != 0
    return (score[moved] > 0).astype(np.float64), (fwd[moved] > 0).astype(np.float64)


def accuracy(score: FloatArray, fwd: FloatArray) -> float | None:
    """Share of bars whose predicted direction (score > 0: up, else down) was realised."""
    pred, real = _directions(score, fwd)
    return float(np.mean(pred == real)) if real.size else None


def balanced_accuracy(score: FloatArray, fwd: FloatArray) -> float | None:
    """Mean of the recall on up bars and on down bars (0.5 for any constant prediction)."""
    pred, real = _directions(score, fwd)
    if not (real == 1).any() or not (real == 0).any():
        return None
    return float((np.mean(pred[real == 1] == 1) + np.mean(pred[real == 0] == 0)) / 2)


def top_accuracy(score: FloatArray, fwd: FloatArray, fraction: float = 0.1) -> float | None:
    """Direction accuracy on the `fraction` of bars with the largest ``|score|``.

    None when the confidence is constant (no ranking exists, e.g. buy-and-hold).
    """
    confidence = np.abs(score)
    if confidence.size == 0 or np.ptp(confidence) == 0:
        return None
    count = max(1, math.ceil(fraction * confidence.size))
    top = np.argsort(-confidence, kind="stable")[:count]
    return accuracy(score[top], fwd[top])


def ranks(values: FloatArray) -> FloatArray:
    """Return 1-based ranks of `values`, ties getting their average rank."""
    order = np.argsort(values, kind="mergesort")
    edges = np.flatnonzero(np.diff(values[order])) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [values.size]))
    out = np.empty(values.size, dtype=np.float64)
    out[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return out


def rank_ic(score: FloatArray, fwd: FloatArray) -> float | None:
    """Spearman correlation of score and forward return; None when either is constant."""
    if score.size < 3 or np.ptp(score) == 0 or np.ptp(fwd) == 0:
        return None
    return float(np.corrcoef(ranks(score), ranks(fwd))[0, 1])


def mean_rank_ic(scores: list[FloatArray], fwds: list[FloatArray]) -> float | None:
    """Average of the per-fold rank ICs (folds with an undefined IC are skipped)."""
    values = [ic for s, f in zip(scores, fwds, strict=True) if (ic := rank_ic(s, f)) is not None]
    return float(np.mean(values)) if values else None


def net_returns(position: FloatArray, bar_return: FloatArray, fee: float) -> FloatArray:
    """Per-bar net returns of holding `position` (0 or 1) over each next bar.

    A fee of `fee` times the size of every position change is charged, including entering the
    first position from flat (the position before the series is 0).
    """
    change = np.abs(np.diff(position, prepend=0.0))
    out: FloatArray = position * bar_return - fee * change
    return out


def sharpe(returns: FloatArray, periods_per_year: float) -> float | None:
    """Annualised Sharpe ratio ``mean / std * sqrt(periods_per_year)`` (zero rate, ddof 1)."""
    if returns.size < 2:
        return None
    std = float(np.std(returns, ddof=1))
    return float(np.mean(returns) / std * math.sqrt(periods_per_year)) if std > 0 else None


def max_drawdown_pct(returns: FloatArray) -> float:
    """Largest peak-to-trough fall of the compounded equity, in percent (<= 0)."""
    equity = np.cumprod(1.0 + np.concatenate(([0.0], returns)))
    return float(np.min(equity / np.maximum.accumulate(equity) - 1.0) * 100.0)


def total_return_pct(returns: FloatArray) -> float:
    """Compounded return of the series, in percent."""
    return float((np.prod(1.0 + returns) - 1.0) * 100.0)


def choose_threshold(
    score: FloatArray,
    bar_return: FloatArray,
    quantiles: tuple[float, ...],
    fee: float,
    periods_per_year: float,
) -> float:
    """Pick the long threshold with the best net Sharpe on a (validation) period.

    Candidates are 0 and the given quantiles of `score` (a quantile of 0 means 0 itself).
    """
    candidates = [0.0] + [float(np.quantile(score, q)) for q in quantiles if q > 0]
    best, best_sharpe = 0.0, -math.inf
    for threshold in candidates:
        value = sharpe(
            net_returns((score > threshold).astype(np.float64), bar_return, fee), periods_per_year
        )
        if value is not None and value > best_sharpe:
            best, best_sharpe = threshold, value
    return best


__all__ = [
    "accuracy",
    "balanced_accuracy",
    "choose_threshold",
    "max_drawdown_pct",
    "mean_rank_ic",
    "net_returns",
    "rank_ic",
    "ranks",
    "sharpe",
    "top_accuracy",
    "total_return_pct",
]
