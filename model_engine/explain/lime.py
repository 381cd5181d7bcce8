"""LIME on feature masks: a weighted linear surrogate over on/off players (numpy only).

Players are the same features as the Shapley explanations; an absent feature takes the mean of
the background windows. Not additive: the explanation states ``additivity_error = None``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from model_engine.explain.shapley import PredictFn

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
METHOD = "lime-feature-masks"


def lime_attributions(
    predict: PredictFn,
    x: F32,
    background: F32,
    target: int,
    *,
    samples: int = 500,
    kernel_width: float = 0.25,
    seed: int = 0,
) -> tuple[F64, float]:
    """Fit a kernel-weighted ridge surrogate of class `target` over feature on/off masks.

    Parameters
    ----------
    predict
        Batched model.
    x
        ``(window, features)``.
    background
        ``(b, window, features)``; their mean replaces absent features.
    target
        Class whose probability is explained.
    samples, kernel_width, seed
        LIME's perturbations, kernel width (on the fraction of players removed) and seed.

    Returns
    -------
    tuple
        Coefficients ``(features,)`` and the surrogate's intercept.
    """
    n = x.shape[1]
    rng = np.random.default_rng(seed)
    masks = rng.random((samples, n)) < rng.random((samples, 1))
    masks[0] = True
    filler = background.mean(axis=0)
    hybrid = np.where(masks[:, None, :], x[None], filler[None]).astype(np.float32)
    y = predict(hybrid)[:, target].astype(np.float64)
    distance = 1.0 - masks.mean(axis=1)
    weights = np.exp(-(distance**2) / kernel_width**2)
    design = np.hstack([np.ones((samples, 1)), masks.astype(np.float64)])
    sw = np.sqrt(weights)[:, None]
    ridge = np.eye(n + 1) * 1e-3
    ridge[0, 0] = 0.0
    a = (design * sw).T @ (design * sw) + ridge
    coef = np.linalg.solve(a, (design * sw).T @ (y * sw[:, 0]))
    return coef[1:], float(coef[0])
