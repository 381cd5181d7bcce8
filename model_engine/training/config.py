"""What a training run is: model family, sizes, optimiser and stopping rules."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ModelFamily = Literal["lstm", "transformer"]


class TrainConfig(BaseModel):
    """Hyper-parameters of one training run (recorded in the artifact's manifest).

    Attributes
    ----------
    model
        ``"lstm"`` or ``"transformer"``; the training loop is the same for both.
    hidden
        LSTM hidden size, or Transformer model width ``d_model``.
    layers
        Stacked LSTM layers or Transformer encoder layers.
    heads
        Attention heads (Transformer only; must divide `hidden`).
    dropout
        Dropout between layers.
    skip
        Add a linear map of the window's last row to the logits (wide + deep).
    lr, weight_decay
        AdamW settings.
    batch_size
        Windows per optimisation step.
    max_epochs, patience
        Stop after `max_epochs`, or earlier when the validation loss has not improved for
        `patience` epochs (early stopping).
    max_train_batches
        Cap on batches per epoch (None: all); keeps demos and tests short.
    calibration_fraction
        Share of the latest training windows (by prediction time, purged like the holdout)
        held out to fit a softmax temperature on (`model_engine.training.calibration`); the
        model trains on the rest. 0 (the default): no temperature, train on every window.
    seed
        Seeds Python, NumPy and torch (the run is deterministic on one thread).
    threads
        torch intra-op threads (1 is fastest on a shared box, see FIELD_NOTES).
    progress
        Show Lightning's progress bar.
    log_dir
        Where the CSV logger and checkpoints go (None: a temporary directory).
    """

    model_config = ConfigDict(extra="forbid")

    model: ModelFamily = "lstm"
    hidden: int = Field(64, ge=1)
    layers: int = Field(2, ge=1)
    heads: int = Field(4, ge=1)
    dropout: float = Field(0.1, ge=0.0, lt=1.0)
    skip: bool = False
    lr: float = Field(1e-3, gt=0.0)
    weight_decay: float = Field(1e-4, ge=0.0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(10, ge=1)
    patience: int = Field(3, ge=1)
    max_train_batches: int | None = Field(None, ge=1)
    calibration_fraction: float = Field(0.0, ge=0.0, lt=0.5)
    seed: int = 0
    threads: int = Field(1, ge=1)
    progress: bool = True
    log_dir: Path | None = None


__all__ = ["ModelFamily", "TrainConfig"]
