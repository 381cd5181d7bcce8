"""One training loop for every model family: seeded, early-stopped, CSV-logged."""

from __future__ import annotations

import logging
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, EarlyStopping
from pytorch_lightning.loggers import CSVLogger
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler

from model_engine.datasets import Normaliser, Windows
from model_engine.training.calibration import fit_temperature, fold_temperature
from model_engine.training.config import TrainConfig
from model_engine.training.modules import Classifier, build_module

if TYPE_CHECKING:
    from model_engine.training.ensemble import EnsembleModule

log = logging.getLogger(__name__)


class _WindowBatches(Dataset[tuple[torch.Tensor, torch.Tensor]]):
    """Normalised batches cut lazily from `Windows` (the sampler yields lists of positions)."""

    def __init__(self, windows: Windows, normaliser: Normaliser) -> None:
        self.windows = replace(windows, features=normaliser.apply(windows.features))

    def __len__(self) -> int:
        return len(self.windows)

    def __getitem__(self, rows: Any) -> tuple[torch.Tensor, torch.Tensor]:
        pick = np.asarray(rows, dtype=np.int64)
        x = torch.from_numpy(self.windows.windows_at(pick))
        return x, torch.from_numpy(self.windows.y[pick])


def _loader(
    windows: Windows, normaliser: Normaliser, batch_size: int, seed: int | None
) -> DataLoader[Any]:
    data = _WindowBatches(windows, normaliser)
    if seed is None:
        order: Any = SequentialSampler(range(len(windows)))
    else:
        order = RandomSampler(range(len(windows)), generator=torch.Generator().manual_seed(seed))
    sampler = BatchSampler(order, batch_size, drop_last=False)
    return DataLoader(data, batch_size=None, sampler=sampler, num_workers=0)


class _BestWeights(Callback):
    """Keep the weights of the epoch with the lowest validation loss, and a per-epoch history."""

    def __init__(self) -> None:
        self.best_loss = float("inf")
        self.best_state: dict[str, torch.Tensor] | None = None
        self.history: list[dict[str, float]] = []

    def on_validation_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.sanity_checking:
            return
        loss = float(trainer.callback_metrics.get("val_loss", float("inf")))
        if loss < self.best_loss:
            self.best_loss = loss
            self.best_state = {k: v.detach().clone() for k, v in pl_module.state_dict().items()}

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        metrics = {k: float(v) for k, v in trainer.callback_metrics.items()}
        self.history.append({"epoch": float(trainer.current_epoch), **metrics})


@dataclass
class TrainedModel:
    """A fitted module with everything needed to predict and to export it.

    Attributes
    ----------
    module
        The torch module, in eval mode; it takes NORMALISED windows (``normaliser.apply``).
    config
        The run's hyper-parameters.
    normaliser
        Statistics fitted on the training windows only.
    history
        One dict per epoch: ``epoch``, ``train_loss``, ``val_loss``, ``val_acc``, ...
    best_val_loss
        Validation loss of the kept weights (before any temperature).
    temperature
        The softmax temperature fitted on the training period's last slice and folded into
        `module` (1.0: none, see ``TrainConfig.calibration_fraction``).
    """

    module: Classifier | EnsembleModule
    config: TrainConfig
    normaliser: Normaliser
    history: list[dict[str, float]] = field(default_factory=list)
    best_val_loss: float = float("nan")
    temperature: float = 1.0

    @property
    def window(self) -> int:
        """Return the window length the model takes."""
        return self.module.window

    @property
    def n_features(self) -> int:
        """Return the feature count the model takes."""
        return self.module.n_features

    def predict_proba(
        self, x: npt.ArrayLike | Windows, batch_size: int = 1024
    ) -> npt.NDArray[np.float64]:
        """Return ``(m, 3)`` class probabilities (down, flat, up) of RAW windows.

        Parameters
        ----------
        x
            `Windows`, or raw (unnormalised) windows ``(m, window, f)``: do not normalise
            them first, this method applies the training-window `normaliser`.
        batch_size
            Windows per forward pass.
        """
        self.module.eval()
        total = len(x) if isinstance(x, Windows) else np.asarray(x).shape[0]
        out = np.zeros((total, 3), dtype=np.float64)
        with torch.inference_mode():
            for start in range(0, total, batch_size):
                rows = np.arange(start, min(start + batch_size, total))
                batch = x.windows_at(rows) if isinstance(x, Windows) else np.asarray(x)[rows]
                logits = self.module(torch.from_numpy(self.normaliser.apply(batch)))
                out[rows] = torch.softmax(logits, dim=1).double().numpy()
        return out


def _calibration_split(train: Windows, fraction: float) -> tuple[Windows, Windows | None]:
    """Return the training windows to fit on and the latest `fraction` to calibrate on (None
    when `fraction` is 0), split in time and purged like the holdout."""
    if fraction <= 0.0:
        return train, None
    fit_on, calibrate_on = train.split(int(np.quantile(train.ts_close_ms, 1.0 - fraction)))
    if len(fit_on) == 0 or len(calibrate_on) == 0:
        raise ValueError(f"cannot hold out {fraction:.0%} of {len(train)} windows to calibrate")
    return fit_on, calibrate_on


def _logits(
    module: Classifier, normaliser: Normaliser, windows: Windows
) -> npt.NDArray[np.float64]:
    """Return `module`'s ``(m, 3)`` logits of RAW `windows`."""
    out = np.zeros((len(windows), 3), dtype=np.float64)
    with torch.inference_mode():
        for start in range(0, len(windows), 1024):
            rows = np.arange(start, min(start + 1024, len(windows)))
            x = torch.from_numpy(normaliser.apply(windows.windows_at(rows)))
            out[rows] = module(x).double().numpy()
    return out


def fit(config: TrainConfig, train: Windows, val: Windows) -> TrainedModel:
    """Train one model: normaliser fitted on `train` only, early stopping on `val`'s loss.

    With ``config.calibration_fraction`` the latest part of `train` is held out, the model
    trains on the rest, and a softmax temperature fitted on that part is folded into it
    (`model_engine.training.calibration`); `val` never sets the temperature.

    Parameters
    ----------
    config
        Family, sizes and stopping rules; ``config.seed`` makes the run repeatable.
    train, val
        RAW labelled windows; `val` must lie after `train` in time for an honest estimate.

    Returns
    -------
    TrainedModel
        With the weights of the best validation epoch.

    Raises
    ------
    ValueError
        If either set is empty or their shapes differ.
    """
    if len(train) == 0 or len(val) == 0:
        raise ValueError(f"need training and validation windows, got {len(train)}/{len(val)}")
    if (train.window, train.n_features) != (val.window, val.n_features):
        raise ValueError("training and validation windows differ in shape")
    torch.set_num_threads(config.threads)
    pl.seed_everything(config.seed, workers=True, verbose=False)
    normaliser = Normaliser.fit(train)
    fit_on, calibrate_on = _calibration_split(train, config.calibration_fraction)
    module = build_module(config, train.window, train.n_features, normaliser.clip)
    best = _BestWeights()
    with tempfile.TemporaryDirectory(prefix="ntx-train-") as scratch, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*LeafSpec.*is deprecated")
        log_dir = config.log_dir or Path(scratch)
        trainer = pl.Trainer(
            max_epochs=config.max_epochs,
            limit_train_batches=config.max_train_batches or 1.0,
            accelerator="cpu",
            devices=1,
            logger=CSVLogger(str(log_dir), name="train"),
            callbacks=[EarlyStopping("val_loss", patience=config.patience), best],
            enable_checkpointing=False,
            enable_progress_bar=config.progress,
            enable_model_summary=False,
            log_every_n_steps=min(10, config.max_train_batches or 10),
            deterministic=True,
            default_root_dir=str(log_dir),
        )
        trainer.fit(
            module,
            _loader(fit_on, normaliser, config.batch_size, config.seed),
            _loader(val, normaliser, config.batch_size, None),
        )
    if best.best_state is not None:
        module.load_state_dict(best.best_state)
    module.eval()
    temperature = 1.0
    if calibrate_on is not None:
        temperature = fit_temperature(_logits(module, normaliser, calibrate_on), calibrate_on.y)
        fold_temperature(module, temperature)
        log.info(
            "temperature %.3f fitted on the last %d training windows (trained on %d)",
            temperature,
            len(calibrate_on),
            len(fit_on),
        )
    return TrainedModel(module, config, normaliser, best.history, best.best_loss, temperature)


__all__ = ["TrainedModel", "fit"]
