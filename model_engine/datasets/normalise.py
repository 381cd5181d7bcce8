"""Per-feature standardisation fitted on the training window only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model_engine.datasets.windows import Windows

MIN_STD = 1e-8
"""Features with a smaller standard deviation (constant ones, e.g. "no news" zeros) get std 1."""


@dataclass(frozen=True)
class Normaliser:
    """``(x - mean) / std`` per feature, clipped to ``±clip``.

    Attributes
    ----------
    mean, std
        ``(f,)`` float64 statistics; recorded in an artifact's manifest.
    clip
        Normalised values are clipped to ``[-clip, clip]`` (outliers of a fat-tailed market).
    """

    mean: npt.NDArray[np.float64]
    std: npt.NDArray[np.float64]
    clip: float = 10.0

    @classmethod
    def fit(cls, train_x: npt.ArrayLike | Windows, clip: float = 10.0) -> Normaliser:
        """Fit on training data only.

        Parameters
        ----------
        train_x
            Training `Windows` (each covered feature row counts once), or any array whose last
            axis is the features (``(m, window, f)`` or ``(n, f)``).
        clip
            See the class.

        Raises
        ------
        ValueError
            If there are no rows or a value is not finite.
        """
        rows = train_x.feature_rows() if isinstance(train_x, Windows) else np.asarray(train_x)
        flat = np.asarray(rows, dtype=np.float64).reshape(-1, rows.shape[-1])
        if flat.shape[0] == 0:
            raise ValueError("cannot fit a normaliser on no rows")
        if not np.all(np.isfinite(flat)):
            raise ValueError("training features must be finite")
        std = flat.std(axis=0)
        return cls(flat.mean(axis=0), np.where(std < MIN_STD, 1.0, std), clip)

    def apply(self, x: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """Return normalised float32 `x` (any shape whose last axis is the features)."""
        values = (np.asarray(x, dtype=np.float64) - self.mean) / self.std
        return np.clip(values, -self.clip, self.clip).astype(np.float32)

    def to_dict(self, names: tuple[str, ...] | list[str]) -> list[dict[str, float | str]]:
        """Return ``[{"name", "mean", "std"}, ...]`` in feature order, for a manifest."""
        return [
            {"name": n, "mean": float(m), "std": float(s)}
            for n, m, s in zip(names, self.mean, self.std, strict=True)
        ]


__all__ = ["MIN_STD", "Normaliser"]
