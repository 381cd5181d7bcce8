"""Labels from the forward return over a horizon: fixed band or triple barrier.

Classes are always ordered (down, flat, up) = (0, 1, 2), matching ``Signal.probabilities``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from feature_spec import Ohlcv

DOWN, FLAT, UP = 0, 1, 2
CLASS_NAMES = ("down", "flat", "up")
LabelKind = Literal["fixed", "triple_barrier"]


@dataclass(frozen=True)
class LabelSpec:
    """How a window ending at bar ``t`` is labelled.

    Parameters
    ----------
    horizon_bars
        Bars ahead: the label of bar ``t`` uses bars ``t + 1 .. t + horizon_bars`` (and
        ``close[t]``), never anything later.
    flat_band_bps
        Half-width of the flat band in basis points of ``close[t]``. ``fixed``: the simple
        return ``close[t + h] / close[t] - 1`` is up above ``+band``, down below ``-band``,
        flat otherwise. ``triple_barrier``: the barriers sit at ``close[t] * (1 ± band)``; the
        first bar whose high (low) touches the upper (lower) barrier decides up (down); both in
        the same bar, or none before the horizon, is flat.
    kind
        ``"fixed"`` or ``"triple_barrier"``.

    Raises
    ------
    ValueError
        If the horizon is below 1 or the band is negative.
    """

    horizon_bars: int = 12
    flat_band_bps: float = 20.0
    kind: LabelKind = "fixed"

    def __post_init__(self) -> None:
        if self.horizon_bars < 1:
            raise ValueError(f"horizon_bars must be at least 1, got {self.horizon_bars}")
        if self.flat_band_bps < 0:
            raise ValueError(f"flat_band_bps must be >= 0, got {self.flat_band_bps}")
        if self.kind not in ("fixed", "triple_barrier"):
            raise ValueError(f"unknown label kind {self.kind!r}")

    def definition(self) -> dict[str, object]:
        """Return the JSON-ready definition recorded in an artifact's manifest."""
        return {**asdict(self), "classes": list(CLASS_NAMES)}


def flat_band(train_fwd: npt.NDArray[np.float64], fraction: float) -> float:
    """Return the band holding `fraction` of the TRAINING forward returns: the `fraction`
    quantile of their absolute values (0 for a zero fraction or no returns)."""
    if fraction <= 0.0 or train_fwd.size == 0:
        return 0.0
    return float(np.quantile(np.abs(train_fwd), fraction))


def classify(fwd: npt.NDArray[np.float64], band: float) -> npt.NDArray[np.int64]:
    """Return classes: up above `band`, down below ``-band``, flat otherwise (NaN: flat)."""
    labels = np.full(fwd.shape, FLAT, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        labels[fwd > band] = UP
        labels[fwd < -band] = DOWN
    return labels


def forward_return(close: npt.NDArray[np.float64], horizon: int) -> npt.NDArray[np.float64]:
    """Return ``close[t + h] / close[t] - 1`` per bar; NaN where ``t + h`` is missing."""
    out = np.full(close.shape, np.nan, dtype=np.float64)
    if close.shape[0] > horizon:
        out[:-horizon] = close[horizon:] / close[:-horizon] - 1.0
    return out


def _triple_barrier(bars: Ohlcv, spec: LabelSpec) -> npt.NDArray[np.int64]:
    n, band = len(bars), spec.flat_band_bps / 1e4
    labels = np.full(n, FLAT, dtype=np.int64)
    decided = np.zeros(n, dtype=bool)
    upper, lower = bars.close * (1.0 + band), bars.close * (1.0 - band)
    for step in range(1, spec.horizon_bars + 1):
        if step >= n:
            break
        hit_up = np.zeros(n, dtype=bool)
        hit_down = np.zeros(n, dtype=bool)
        hit_up[:-step] = bars.high[step:] >= upper[:-step]
        hit_down[:-step] = bars.low[step:] <= lower[:-step]
        fresh = ~decided & (hit_up | hit_down)
        labels[fresh & hit_up & ~hit_down] = UP
        labels[fresh & hit_down & ~hit_up] = DOWN
        decided |= fresh
    return labels


def make_labels(
    bars: Ohlcv, spec: LabelSpec
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Label every bar of `bars`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(labels, fwd_return)``: int64 classes in {0, 1, 2} and the forward simple return;
        the last ``horizon_bars`` bars have no label (their return is NaN, class meaningless).
    """
    fwd = forward_return(bars.close, spec.horizon_bars)
    if spec.kind == "triple_barrier":
        return _triple_barrier(bars, spec), fwd
    return classify(fwd, spec.flat_band_bps / 1e4), fwd


__all__ = [
    "CLASS_NAMES",
    "DOWN",
    "FLAT",
    "UP",
    "LabelKind",
    "LabelSpec",
    "classify",
    "flat_band",
    "make_labels",
]
