"""Small LSTM and Transformer classifiers trained with a plain, seeded torch loop.

Sized for the default protocol on 2 shared CPU cores (one torch thread): see `DlConfig`.
Early stopping on the validation loss restores the best epoch's weights.
"""

from __future__ import annotations

import copy

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from model_engine.evaluation.config import DlConfig
from model_engine.evaluation.models import FloatArray, FoldInputs, IntArray


class LstmNet(nn.Module):
    """LSTM over the window, linear head on the last hidden state."""

    def __init__(self, n_features: int, config: DlConfig) -> None:
        super().__init__()
        dropout = config.dropout if config.layers > 1 else 0.0
        self.lstm = nn.LSTM(
            n_features, config.hidden, config.layers, batch_first=True, dropout=dropout
        )
        self.head = nn.Sequential(nn.Dropout(config.dropout), nn.Linear(config.hidden, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return logits ``(batch, 3)`` of windows ``(batch, window, features)``."""
        out, _ = self.lstm(x)
        logits: torch.Tensor = self.head(out[:, -1])
        return logits


class TransformerNet(nn.Module):
    """Linear embedding + learned positions, Transformer encoder, head on the last step."""

    def __init__(self, n_features: int, config: DlConfig) -> None:
        super().__init__()
        self.embed = nn.Linear(n_features, config.hidden)
        self.position = nn.Parameter(torch.zeros(1, config.window, config.hidden))
        layer = nn.TransformerEncoderLayer(
            config.hidden, config.heads, 2 * config.hidden, config.dropout, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.head = nn.Linear(config.hidden, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return logits ``(batch, 3)`` of windows ``(batch, window, features)``."""
        encoded = self.encoder(self.embed(x) + self.position[:, -x.shape[1] :])
        logits: torch.Tensor = self.head(encoded[:, -1])
        return logits


def windows(features: npt.NDArray[np.float32], index: IntArray, window: int) -> torch.Tensor:
    """Return the windows ending at each row of `index`: ``(m, window, f)``."""
    offsets = np.arange(-window + 1, 1)
    return torch.from_numpy(features[index[:, None] + offsets[None, :]])


def _predict(net: nn.Module, x: torch.Tensor, batch: int) -> FloatArray:
    net.eval()
    with torch.no_grad():
        parts = [torch.softmax(net(x[i : i + batch]), dim=1) for i in range(0, len(x), batch)]
    return torch.cat(parts).double().numpy() if parts else np.zeros((0, 3))


def _val_loss(net: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int) -> float:
    proba = torch.from_numpy(_predict(net, x, batch)).clamp_min(1e-9)
    return float(nn.functional.nll_loss(proba.log(), y))


def fit_dl(
    kind: str, inputs: FoldInputs, config: DlConfig, seed: int
) -> tuple[FloatArray, FloatArray]:
    """Train one seeded `kind` ("lstm" or "transformer") model.

    Returns
    -------
    tuple of numpy.ndarray
        Validation and test probabilities ``(m, 3)``.
    """
    torch.set_num_threads(1)  # one thread per worker on the shared cores (FIELD_NOTES)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    n_features = inputs.features.shape[1]
    net: nn.Module = (LstmNet if kind == "lstm" else TransformerNet)(n_features, config)
    optimiser = torch.optim.AdamW(
        net.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    train_index = inputs.train[:: config.train_stride]
    x_train = windows(inputs.features, train_index, config.window)
    y_train = torch.from_numpy(inputs.labels[train_index])
    x_val = windows(inputs.features, inputs.val, config.window)
    y_val = torch.from_numpy(inputs.labels[inputs.val])
    best_loss, best_state, stale = float("inf"), copy.deepcopy(net.state_dict()), 0
    for _ in range(config.max_epochs):
        net.train()
        order = torch.from_numpy(rng.permutation(len(x_train)))
        for start in range(0, len(order), config.batch_size):
            rows = order[start : start + config.batch_size]
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(net(x_train[rows]), y_train[rows])
            loss.backward()  # type: ignore[no-untyped-call]
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
        loss_val = _val_loss(net, x_val, y_val, 1024)
        if loss_val < best_loss - 1e-5:
            best_loss, best_state, stale = loss_val, copy.deepcopy(net.state_dict()), 0
        else:
            stale += 1
            if stale >= config.patience:
                break
    net.load_state_dict(best_state)
    x_test = windows(inputs.features, inputs.test, config.window)
    return _predict(net, x_val, 1024), _predict(net, x_test, 1024)


__all__ = ["LstmNet", "TransformerNet", "fit_dl", "windows"]
