"""Out-of-distribution score of a window: a dissimilarity index against training windows.

Like freqtrade's DI: the distance of the window's summary (last row and window mean, z-scored
with training statistics) to its nearest training summary, divided by the training set's own
p99 nearest-neighbour distance, so 1.0 is the edge of what training saw. Features constant in
training (the news columns of a period without news) are left out: zeros there are normal.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


def summarise(windows: F32) -> F64:
    """Return ``(m, 2 * features)``: each window's last row and mean."""
    w = np.nan_to_num(windows.astype(np.float64))
    return np.concatenate([w[:, -1, :], w.mean(axis=1)], axis=1)


class OodScorer:
    """Nearest-neighbour dissimilarity against a reference set of training summaries.

    Parameters
    ----------
    reference
        ``(n, 2 * features)`` summaries of training windows (`summarise`).
    """

    def __init__(self, reference: F64) -> None:
        self.mean = reference.mean(axis=0)
        std = reference.std(axis=0)
        self.active = std > 1e-12
        self.std = np.where(self.active, std, 1.0)
        self.points = self._z(reference)
        self._points_t = np.ascontiguousarray(self.points.T)
        self._norms = (self.points**2).sum(1)
        nearest = self._nearest(self.points, exclude_self=True)
        self.scale = float(max(np.quantile(nearest, 0.99), 1e-9))

    def _z(self, summaries: F64) -> F64:
        return np.asarray(((summaries - self.mean) / self.std)[:, self.active])

    def _nearest(self, z: F64, *, exclude_self: bool = False) -> F64:
        sq = (z**2).sum(1)[:, None] + self._norms[None, :] - 2 * (z @ self._points_t)
        if exclude_self:
            np.fill_diagonal(sq, np.inf)
        return np.asarray(np.sqrt(np.maximum(sq.min(axis=1), 0.0)))

    def score(self, windows: F32) -> F64:
        """Return ``(m,)`` OOD scores (>= 0; 1.0 = training p99 nearest-neighbour distance)."""
        return self._nearest(self._z(summarise(windows))) / self.scale
