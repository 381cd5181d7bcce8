"""Grouped Shapley values over a background of real windows (numpy, any batched model).

A player is one feature over the whole window. ``v(S) = mean_b f(x_S, b_{~S})[class]``: the
absent features take the values of background window ``b``, averaged over every background.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from model_engine.explain.sampling import (
    F64,
    FloatArray,
    antithetic_walks,
    feature_players,
    sampled_shapley,
)
from model_engine.explain.sampling import PredictFn as PredictFn

_GAP_FLOOR = 0.01


def coalition_windows(
    x: FloatArray, background: FloatArray, masks: npt.NDArray[np.bool_]
) -> FloatArray:
    """Return ``(len(masks) * len(background), window, features)`` hybrid windows.

    Parameters
    ----------
    x
        ``(window, features)``: the window explained.
    background
        ``(b, window, features)`` real windows.
    masks
        ``(k, features)``: True where the feature comes from `x`.
    """
    present = masks[:, None, None, :]
    hybrid = np.where(present, x[None, None], background[None])
    return hybrid.reshape(-1, *x.shape).astype(np.float32, copy=False)


def permutation_shapley(
    predict: PredictFn,
    x: FloatArray,
    background: FloatArray,
    permutations: int,
    rng: np.random.Generator,
) -> tuple[F64, F64, F64]:
    """Estimate Shapley values of every class by antithetic permutation sampling.

    Each sampled order and its reverse walk from the empty to the full coalition, averaging
    every background at every coalition, so the estimate is additive for every class:
    ``base + phi.sum(0) == fx`` to rounding. (Other players: `sampling.sampled_shapley`.)

    Parameters
    ----------
    predict
        The batched model.
    x
        ``(window, features)``.
    background
        ``(b, window, features)``.
    permutations
        Orders sampled (rounded up to an even number: each comes with its reverse).
    rng
        Seeded generator.

    Returns
    -------
    tuple
        ``phi (features, classes)``, ``base (classes,)`` and ``fx (classes,)``.
    """
    walks = antithetic_walks(x.shape[1], max(1, (permutations + 1) // 2), rng)
    owner = feature_players(*x.shape)
    est = sampled_shapley(predict, x, background, owner, walks)
    return est.phi, est.base, est.fx


def efficiency_normalise(
    phi: F64, base: F64, fx: F64, free: npt.NDArray[np.bool_] | None = None
) -> F64:
    """Spread the additivity gap evenly so that ``base + phi.sum(-2) == fx`` exactly.

    Parameters
    ----------
    phi
        ``(..., features, classes)`` raw attributions.
    base, fx
        ``(..., classes)``.
    free
        ``(..., features)``: players that may take a share (dummies keep exactly 0).
    """
    gap = fx - base - phi.sum(axis=-2)
    if free is None:
        return np.asarray(phi + gap[..., None, :] / phi.shape[-2], dtype=np.float64)
    weights = free.astype(np.float64)
    count = np.maximum(weights.sum(axis=-1, keepdims=True), 1.0)
    return np.asarray(phi + (weights / count)[..., None] * gap[..., None, :], dtype=np.float64)


def dummy_players(x: FloatArray, background: FloatArray) -> npt.NDArray[np.bool_]:
    """Return ``(..., features)``: True where the feature equals it in every background window.

    Such a feature cannot change any ``v(S)``: its Shapley value is exactly 0 (the news
    columns of a period without news are the usual case).
    """
    same = np.all(x[..., None, :, :] == background, axis=-2)  # (..., b, features)
    return np.asarray(np.all(same, axis=-2))


def additivity_gap(phi: F64, base: F64 | float, fx: F64 | float) -> F64:
    """Return ``|base + sum(phi) - f(x)| / max(|f(x) - base|, 0.01)`` (relative gap)."""
    total = np.asarray(base) + np.asarray(phi).sum(axis=-1)
    scale = np.maximum(np.abs(np.asarray(fx) - np.asarray(base)), _GAP_FLOOR)
    return np.asarray(np.abs(total - np.asarray(fx)) / scale, dtype=np.float64)
