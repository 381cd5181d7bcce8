"""Seed and family ensembles as one model: the average of the members' class probabilities.

What the walk-forward evaluation scores as ``dl_ensemble`` (the mean of every DL run's score
``P(up) - P(down)``, which is the score of the mean probabilities) can ship as one artifact:
`fit_ensemble` trains each member with the shared loop, and `EnsembleModule` is exported as
one ONNX graph whose ``logits`` are the log of the mean probabilities (so its ``probabilities``
output is that mean exactly).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from model_engine.datasets import Windows
from model_engine.training.config import TrainConfig
from model_engine.training.modules import Classifier
from model_engine.training.trainer import TrainedModel, fit


class EnsembleModule(nn.Module):
    """Members taking the same normalised windows; ``forward`` is the log of their mean
    class probabilities.

    Raises
    ------
    ValueError
        With no member, or members of different input shapes.
    """

    def __init__(self, members: list[Classifier]) -> None:
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        shapes = {(m.window, m.n_features) for m in members}
        if len(shapes) != 1:
            raise ValueError(f"members take different windows: {sorted(shapes)}")
        self.members = nn.ModuleList(members)
        self.window, self.n_features = members[0].window, members[0].n_features

    def forward(self, x: Tensor) -> Tensor:
        """Return ``(batch, 3)`` log mean probabilities of normalised windows."""
        probs = torch.stack([torch.softmax(m(x), dim=1) for m in self.members]).mean(dim=0)
        return torch.log(probs.clamp_min(torch.finfo(probs.dtype).tiny))


def fit_ensemble(configs: list[TrainConfig], train: Windows, val: Windows) -> TrainedModel:
    """Train every member config with `fit` on the same windows; return them as one model.

    The members' normalisers are fitted on the same training windows, so they are one; the
    returned model carries the first config and each member's best validation loss in
    ``history``.
    """
    if not configs:
        raise ValueError("an ensemble needs at least one member config")
    fitted = [fit(config, train, val) for config in configs]
    first = fitted[0].normaliser
    for other in fitted[1:]:
        if not np.array_equal(other.normaliser.mean, first.mean):
            raise ValueError("members were normalised differently")
    members = [m.module for m in fitted if isinstance(m.module, Classifier)]
    module = EnsembleModule(members).eval()
    history = [{"member": float(k), "best_val_loss": m.best_val_loss} for k, m in enumerate(fitted)]
    return TrainedModel(
        module, configs[0], first, history, float(np.mean([m.best_val_loss for m in fitted]))
    )


__all__ = ["EnsembleModule", "fit_ensemble"]
