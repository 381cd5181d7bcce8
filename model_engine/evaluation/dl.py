"""LSTM and Transformer scored through the shared training loop (`model_engine.training.fit`).

Evaluation measures the very models ``ntx train`` ships: the same Lightning modules, the same
seeded, early-stopped loop, and `TrainedModel.predict_proba`. Only the sizes differ (`DlConfig`,
sized for the default protocol on 2 shared CPU cores, one torch thread).
"""

from __future__ import annotations

import numpy as np

from model_engine.datasets import Windows
from model_engine.evaluation.config import DlConfig
from model_engine.evaluation.models import FloatArray, FoldInputs, IntArray, Predictor
from model_engine.training import TrainConfig, fit


def train_config(kind: str, config: DlConfig, seed: int) -> TrainConfig:
    """Return the `TrainConfig` of one evaluated DL run (family `kind`, seed `seed`)."""
    return TrainConfig(
        model="lstm" if kind == "lstm" else "transformer",
        hidden=config.hidden,
        layers=config.layers,
        heads=config.heads,
        dropout=config.dropout,
        skip=config.skip,
        lr=config.learning_rate,
        weight_decay=config.weight_decay,
        batch_size=config.batch_size,
        max_epochs=config.max_epochs,
        patience=config.patience,
        seed=seed,
        threads=1,
        progress=False,
    )


def fold_windows(inputs: FoldInputs, index: IntArray, window: int) -> Windows:
    """Return the labelled windows ending at rows `index` of the fold's feature matrix."""
    zeros = np.zeros(index.size, dtype=np.int64)
    return Windows(
        features=inputs.features,
        end_index=index.astype(np.int64),
        window=window,
        y=inputs.labels[index],
        ts_close_ms=zeros,
        label_end_ms=zeros,
        fwd_return=np.zeros(index.size, dtype=np.float64),
    )


def fit_dl(kind: str, inputs: FoldInputs, config: DlConfig, seed: int) -> Predictor:
    """Train one seeded `kind` ("lstm" or "transformer") model with `training.fit`.

    The fit's own normaliser is fitted on the (already standardised) training windows, so it is
    close to the identity; the weights of the best validation epoch are kept.

    Returns
    -------
    Predictor
        Probabilities ``(m, 3)`` (down, flat, up) of the windows ending at given rows.
    """
    train = fold_windows(inputs, inputs.train[:: config.train_stride], config.window)
    val = fold_windows(inputs, inputs.val, config.window)
    model = fit(train_config(kind, config, seed), train, val)

    def predict(rows: IntArray) -> FloatArray:
        proba: FloatArray = model.predict_proba(fold_windows(inputs, rows, config.window))
        return proba

    return predict


__all__ = ["fit_dl", "fold_windows", "train_config"]
