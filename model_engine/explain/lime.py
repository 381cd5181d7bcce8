"""LIME on feature masks: `lime`'s `LimeBase` surrogate over on/off players.

Players are the same features as the Shapley explanations: a feature "off" is replaced over the
whole window by the mean of the background windows. The neighbourhood is generated here (LIME's
tabular samplers perturb single cells, not whole feature columns); `lime.lime_base.LimeBase`
weights it with the kernel and fits the local linear model. Not additive: the explanation states
``additivity_error = None``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from model_engine.explain.shapley import PredictFn

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
METHOD = "lime-feature-masks"
RIDGE_ALPHA = 1e-3
"""Penalty of the surrogate's coefficients (the intercept is not penalised)."""


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
    """Fit LIME's kernel-weighted ridge surrogate of class `target` over feature on/off masks.

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
    from lime.lime_base import LimeBase  # type: ignore[import-untyped]
    from sklearn.linear_model import Ridge  # type: ignore[import-untyped]

    n = x.shape[1]
    rng = np.random.default_rng(seed)
    masks = rng.random((samples, n)) < rng.random((samples, 1))
    masks[0] = True  # LimeBase takes the first row as the instance explained
    filler = background.mean(axis=0)
    hybrid = np.where(masks[:, None, :], x[None], filler[None]).astype(np.float32)
    labels = predict(hybrid).astype(np.float64)
    distances = 1.0 - masks.mean(axis=1)

    def kernel(d: F64) -> F64:
        weights: F64 = np.exp(-(d**2) / kernel_width**2)
        return weights

    base = LimeBase(kernel, random_state=seed)
    intercept, weights, _, _ = base.explain_instance_with_data(
        masks.astype(np.float64),
        labels,
        distances,
        target,
        num_features=n,
        feature_selection="none",
        model_regressor=Ridge(alpha=RIDGE_ALPHA, fit_intercept=True),
    )
    coef = np.zeros(n, dtype=np.float64)
    for j, c in weights:
        coef[int(j)] = float(c)
    return coef, float(intercept)
