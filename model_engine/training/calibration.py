"""Temperature scaling fitted on the latest slice of the TRAINING period, never the holdout.

A classifier that overfits its training regime is overconfident on the next one; dividing its
logits by a temperature ``T > 1`` softens every probability without changing which class is the
most likely. `fit` holds out the last `TrainConfig.calibration_fraction` of the training windows
(by prediction time, purged like the holdout), trains on the rest, fits ``T`` on that slice by
log loss (`fit_temperature`) and folds it into the output layers (`fold_temperature`), so the
exported ONNX graph and serving stay as they are.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import torch

from model_engine.training.modules import Classifier

T_MIN, T_MAX = 0.25, 20.0
"""The temperature is searched in this range (both ends are far from any fit seen)."""


def _nll(logits: npt.NDArray[np.float64], y: npt.NDArray[np.int64], beta: float) -> float:
    """Mean negative log-likelihood of ``softmax(beta * logits)`` at labels `y`."""
    z = beta * logits
    z = z - z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(z).sum(axis=1))
    return float(np.mean(log_norm - z[np.arange(y.size), y]))


def fit_temperature(logits: npt.ArrayLike, y: npt.ArrayLike, iterations: int = 60) -> float:
    """Return the temperature ``T`` that minimises the log loss of ``softmax(logits / T)``.

    The log loss is convex in ``1 / T``, so a golden-section search over ``[1 / T_MAX,
    1 / T_MIN]`` finds its minimum (to ~1e-12 of the interval after 60 steps).

    Raises
    ------
    ValueError
        If there are no labels, or `logits` is not ``(len(y), classes)``.
    """
    z = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    if labels.size == 0 or z.ndim != 2 or z.shape[0] != labels.size:
        raise ValueError(
            f"need (n, classes) logits and n >= 1 labels, got {z.shape}, {labels.size}"
        )
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    lo, hi = 1.0 / T_MAX, 1.0 / T_MIN
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = _nll(z, labels, a), _nll(z, labels, b)
    for _ in range(iterations):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = _nll(z, labels, a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = _nll(z, labels, b)
    return float(1.0 / ((lo + hi) / 2.0))


def fold_temperature(module: Classifier, temperature: float) -> None:
    """Divide `module`'s logits by `temperature` in place (its output layers are scaled)."""
    with torch.no_grad():
        for layer in (module.head, module.skip):
            if layer is not None:
                layer.weight.div_(temperature)
                layer.bias.div_(temperature)


__all__ = ["T_MAX", "T_MIN", "fit_temperature", "fold_temperature"]
