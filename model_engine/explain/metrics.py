"""Fidelity metrics: rank correlation, top-k agreement (numpy only)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def ranks(values: F64) -> F64:
    """Return average ranks (ties share their mean rank)."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    out = np.empty(len(values))
    start = 0
    while start < len(values):
        stop = start
        while stop + 1 < len(values) and sorted_values[stop + 1] == sorted_values[start]:
            stop += 1
        out[order[start : stop + 1]] = (start + stop) / 2.0
        start = stop + 1
    return out


def spearman(a: F64, b: F64) -> float:
    """Return Spearman's rank correlation of two vectors (0 when one is constant)."""
    ra, rb = ranks(np.asarray(a, float)), ranks(np.asarray(b, float))
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denom = float(np.sqrt((ra**2).sum() * (rb**2).sum()))
    return float((ra * rb).sum() / denom) if denom > 0 else 0.0


def top_k_agreement(a: F64, b: F64, k: int = 3) -> float:
    """Return the share of the `k` largest |a| that are among the `k` largest |b|."""
    top_a = set(np.argsort(-np.abs(a))[:k].tolist())
    top_b = set(np.argsort(-np.abs(b))[:k].tolist())
    return len(top_a & top_b) / k


def quantiles(values: F64) -> dict[str, float]:
    """Return p50/p90/p99/max of `values`."""
    v = np.asarray(values, float)
    return {
        "p50": float(np.quantile(v, 0.5)),
        "p90": float(np.quantile(v, 0.9)),
        "p99": float(np.quantile(v, 0.99)),
        "max": float(v.max()),
    }
