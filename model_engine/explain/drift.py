"""Attribution drift per model: the rolling mean |phi| profile against the training one."""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def profile(mean_abs: F64) -> F64:
    """Return `mean_abs` scaled to sum to 1 (uniform when all zero)."""
    total = float(mean_abs.sum())
    if total <= 0:
        return np.full_like(mean_abs, 1.0 / len(mean_abs))
    return mean_abs / total


class DriftMonitor:
    """Total-variation distance between live and reference attribution profiles.

    Parameters
    ----------
    reference
        ``(features,)`` mean |phi| per feature on training windows.
    window
        Signals in the rolling mean.
    threshold
        Score in [0, 1] past which `update` reports a breach (once per crossing).
    min_signals
        Signals needed before a score counts.
    """

    def __init__(self, reference: F64, window: int, threshold: float, min_signals: int) -> None:
        self.reference = profile(np.abs(reference))
        self.threshold = threshold
        self.min_signals = min_signals
        self._rows: deque[F64] = deque(maxlen=window)
        self._sum = np.zeros_like(self.reference)
        self.breached = False
        self.score = 0.0

    def update(self, phi: F64) -> bool:
        """Add ``(m, features)`` attributions; return True when the score newly crosses."""
        for row in np.abs(phi):
            if len(self._rows) == self._rows.maxlen:
                self._sum -= self._rows[0]
            self._rows.append(row)
            self._sum += row
        if len(self._rows) < self.min_signals:
            return False
        live = profile(self._sum / len(self._rows))
        self.score = float(0.5 * np.abs(live - self.reference).sum())
        crossed = self.score > self.threshold and not self.breached
        self.breached = self.score > self.threshold
        return crossed
