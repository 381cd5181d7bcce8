"""Performance figures of an equity curve and a fill list (Decimal in, floats for reporting)."""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from decimal import Decimal

YEAR_MS = 365 * 86_400_000


def returns(equity: Sequence[Decimal]) -> list[float]:
    """Return the simple return of each step of the curve."""
    return [float(b / a - 1) for a, b in itertools.pairwise(equity) if a > 0]


def sharpe(equity: Sequence[Decimal], step_ms: int) -> float:
    """Return the annualised Sharpe ratio of per-bar returns (risk-free 0; 0 when flat)."""
    r = returns(equity)
    if len(r) < 2:
        return 0.0
    sd = statistics.pstdev(r)
    if sd == 0:
        return 0.0
    return statistics.fmean(r) / sd * math.sqrt(YEAR_MS / step_ms)


def max_drawdown_pct(equity: Sequence[Decimal]) -> Decimal:
    """Return the largest fall from a running peak, in percent of that peak."""
    peak, worst = Decimal(0), Decimal(0)
    for value in equity:
        peak = max(peak, value)
        if peak > 0:
            worst = max(worst, (peak - value) / peak * 100)
    return worst


def distribution(values: Sequence[float]) -> dict[str, float | int]:
    """Return count, mean and percentiles (p5, p50, p95, max) of `values` (empty: count 0)."""
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "count": len(ordered),
        "mean": statistics.fmean(ordered),
        "min": ordered[0],
        "p5": pct(0.05),
        "p50": pct(0.5),
        "p95": pct(0.95),
        "max": ordered[-1],
    }
