"""Models scored by the protocol: tabular baselines, naive baselines and the DL wrappers.

Every learned model sees the same normalised feature rows and labels; the tabular ones use the
latest row, the DL ones a window of the latest rows. Each returns class probabilities
``(m, 3)`` in the order (down, flat, up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model_engine.evaluation.config import ProtocolConfig

FloatArray = npt.NDArray[np.float64]
F32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FoldInputs:
    """Normalised features of the whole series and one fold's labels and indices."""

    features: F32Array
    labels: IntArray
    train: IntArray
    val: IntArray
    test: IntArray


Predictor = Callable[[IntArray], "FloatArray"]
"""A fitted model: class probabilities ``(m, 3)`` of rows of the fold's feature matrix."""


def _full_proba(proba: FloatArray, classes: IntArray) -> FloatArray:
    out = np.zeros((proba.shape[0], 3), dtype=np.float64)
    out[:, classes] = proba
    return out


def fit_logreg(inputs: FoldInputs, config: ProtocolConfig, seed: int) -> Predictor:
    """Multinomial logistic regression (L2, C=0.1) on the latest feature row.

    BLAS runs on one thread: threaded reductions made repeated runs differ in the 4th digit.
    """
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    model = LogisticRegression(C=0.1, max_iter=300, random_state=seed)
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(inputs.features[inputs.train], inputs.labels[inputs.train])
    classes = np.asarray(model.classes_, dtype=np.int64)

    def predict(rows: IntArray) -> FloatArray:
        with threadpool_limits(limits=1, user_api="blas"):
            proba = np.asarray(model.predict_proba(inputs.features[rows]))
        return _full_proba(proba, classes)

    return predict


def fit_lightgbm(inputs: FoldInputs, config: ProtocolConfig, seed: int) -> Predictor:
    """LightGBM multiclass on the latest feature row, early-stopped on the validation tail."""
    import lightgbm as lgb

    model = lgb.LGBMClassifier(
        n_estimators=config.lgbm_estimators,
        learning_rate=0.03,
        num_leaves=config.lgbm_leaves,
        min_child_samples=200,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        reg_lambda=1.0,
        random_state=seed,
        n_jobs=1,
        verbose=-1,
    )
    model.fit(
        inputs.features[inputs.train],
        inputs.labels[inputs.train],
        eval_X=(inputs.features[inputs.val],),
        eval_y=(inputs.labels[inputs.val],),
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )
    classes = np.asarray(model.classes_, dtype=np.int64)

    def predict(rows: IntArray) -> FloatArray:
        return _full_proba(np.asarray(model.predict_proba(inputs.features[rows])), classes)

    return predict


def score_of(proba: FloatArray) -> FloatArray:
    """Return the signal score ``P(up) - P(down)``."""
    out: FloatArray = proba[:, 2] - proba[:, 0]
    return out


__all__ = ["FoldInputs", "Predictor", "fit_lightgbm", "fit_logreg", "score_of"]
