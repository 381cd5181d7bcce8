"""The model families: one Lightning module, families differ by their sequence encoder only.

Every module takes NORMALISED feature windows ``(batch, window, f)``, i.e. ``(raw - mean) / std``
with the training-window statistics of the manifest (`model_engine.datasets.Normaliser`); it
clamps them to ``±clip`` itself, so serving only subtracts and divides. ``forward`` returns logits
over (down, flat, up).
"""

from __future__ import annotations

import math
from typing import Any

import pytorch_lightning as pl
import torch
from torch import Tensor, nn

from model_engine.training.config import TrainConfig

N_CLASSES = 3


class Classifier(pl.LightningModule):
    """Normalise, encode the window, classify its last state: the shared training logic.

    With ``config.skip`` a linear map of the window's last row is added to the logits (a
    "wide" path beside the deep one), so the network starts from what a linear model sees.

    Parameters
    ----------
    config
        The run's hyper-parameters.
    window, n_features
        Input shape without the batch axis.
    clip
        Inputs are clamped to ``[-clip, clip]`` (the normaliser's clip).
    """

    def __init__(
        self, config: TrainConfig, window: int, n_features: int, clip: float = 10.0
    ) -> None:
        super().__init__()
        self.config = config
        self.window = window
        self.n_features = n_features
        self.clip = float(clip)
        self.head = nn.Linear(config.hidden, N_CLASSES)
        self.skip = nn.Linear(n_features, N_CLASSES) if config.skip else None
        self.loss = nn.CrossEntropyLoss()

    def encode(self, x: Tensor) -> Tensor:
        """Return the ``(batch, hidden)`` summary of normalised windows (set by each family)."""
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        """Return ``(batch, 3)`` logits of normalised windows ``(batch, window, f)``."""
        z = torch.clamp(x, -self.clip, self.clip)
        logits: Tensor = self.head(self.encode(z))
        if self.skip is not None:
            logits = logits + self.skip(z[:, -1, :])
        return logits

    def _step(self, batch: tuple[Tensor, Tensor], stage: str) -> Tensor:
        x, y = batch
        logits = self(x)
        loss: Tensor = self.loss(logits, y)
        accuracy = (logits.argmax(dim=1) == y).float().mean()
        self.log(f"{stage}_loss", loss, prog_bar=True, on_epoch=True, on_step=False)
        self.log(f"{stage}_acc", accuracy, prog_bar=stage == "val", on_epoch=True, on_step=False)
        return loss

    def training_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        """Return the cross-entropy of one batch."""
        return self._step(batch, "train")

    def validation_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        """Log the validation loss and accuracy (what early stopping watches)."""
        return self._step(batch, "val")

    def configure_optimizers(self) -> Any:
        """Return AdamW with the configured learning rate and weight decay."""
        return torch.optim.AdamW(
            self.parameters(), lr=self.config.lr, weight_decay=self.config.weight_decay
        )


class LstmClassifier(Classifier):
    """Stacked LSTM; the last time step's hidden state is classified."""

    def __init__(
        self, config: TrainConfig, window: int, n_features: int, clip: float = 10.0
    ) -> None:
        super().__init__(config, window, n_features, clip)
        self.lstm = nn.LSTM(
            n_features,
            config.hidden,
            num_layers=config.layers,
            batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )

    def encode(self, x: Tensor) -> Tensor:
        """Return the last layer's hidden state at the last step."""
        out, _ = self.lstm(x)
        return out[:, -1, :]  # type: ignore[no-any-return]


class TransformerClassifier(Classifier):
    """Transformer encoder over the window with learned positions; the last token is classified.

    The fused fast path is disabled (``enable_nested_tensor=False``) so ONNX export keeps
    dynamic sizes.
    """

    def __init__(
        self, config: TrainConfig, window: int, n_features: int, clip: float = 10.0
    ) -> None:
        super().__init__(config, window, n_features, clip)
        if config.hidden % config.heads:
            raise ValueError(f"hidden={config.hidden} is not divisible by heads={config.heads}")
        self.embed = nn.Linear(n_features, config.hidden)
        self.position = nn.Parameter(torch.randn(1, window, config.hidden) / math.sqrt(window))
        layer = nn.TransformerEncoderLayer(
            config.hidden,
            config.heads,
            dim_feedforward=2 * config.hidden,
            dropout=config.dropout,
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            layer, config.layers, enable_nested_tensor=False, norm=nn.LayerNorm(config.hidden)
        )

    def encode(self, x: Tensor) -> Tensor:
        """Return the encoded last token."""
        return self.encoder(self.embed(x) + self.position)[:, -1, :]  # type: ignore[no-any-return]


FAMILIES: dict[str, type[Classifier]] = {
    "lstm": LstmClassifier,
    "transformer": TransformerClassifier,
}


def build_module(
    config: TrainConfig, window: int, n_features: int, clip: float = 10.0
) -> Classifier:
    """Return a fresh module of ``config.model`` (weights from torch's current seed)."""
    return FAMILIES[config.model](config, window, n_features, clip)


__all__ = ["FAMILIES", "Classifier", "LstmClassifier", "TransformerClassifier", "build_module"]
