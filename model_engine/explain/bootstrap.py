"""Build a small explained artifact from real candles (torch at build time only).

Used by the benches and the audit when ``NTX_HOME`` holds no artifact, and by tests with tiny
budgets. It is published like any trained artifact: files staged, explainer added
(`model_engine.explain.build.add_explainer`), then `write_artifact` hashes everything.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch
from torch import nn

from feature_spec import DEFAULT_SPEC
from model_engine.artifacts import (
    MODEL_FILE,
    FeatureStat,
    Manifest,
    Normalisation,
    TensorSpec,
    TrainingWindow,
    write_artifact,
)
from model_engine.datasets import fingerprint
from model_engine.explain.build import ExplainerConfig, add_explainer
from model_engine.explain.realdata import labels, load_features, spread_ends, windows_at

HOUR_MS = 3_600_000


@dataclass(frozen=True)
class BuildConfig:
    """Budgets of a small artifact (defaults: about three minutes on one free core)."""

    name: str = "lstm-small"
    base: str = "BTC"
    window: int = 32
    hidden: int = 32
    horizon_bars: int = 4
    flat_bps: float = 30.0
    train_windows: int = 12_000
    epochs: int = 2
    holdout_bars: int = 3_000
    explainer_windows: int = 4096
    permutations: int = 2
    explainer_epochs: int = 400
    seed: int = 0

    @property
    def explainer(self) -> ExplainerConfig:
        """Return the explainer budget."""
        return ExplainerConfig(
            windows=self.explainer_windows,
            permutations=self.permutations,
            epochs=self.explainer_epochs,
            seed=self.seed,
        )


class _Lstm(nn.Module):
    def __init__(self, features: int, hidden: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(x)
        return torch.softmax(self.out(h[:, -1, :]), dim=1)


def _fit(x: np.ndarray, y: np.ndarray, cfg: BuildConfig) -> _Lstm:
    torch.manual_seed(cfg.seed)
    net = _Lstm(x.shape[2], cfg.hidden)
    optimiser = torch.optim.Adam(net.parameters(), lr=2e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(cfg.epochs):
        order = torch.randperm(len(xt))
        for start in range(0, len(xt), 256):
            idx = order[start : start + 256]
            loss = nn.functional.nll_loss(torch.log(net(xt[idx]) + 1e-7), yt[idx])
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
    return net.eval()


def build_artifact(home: Path, cfg: BuildConfig = BuildConfig()) -> Path:
    """Train, export and explain a small LSTM; return the new version folder."""
    torch.set_num_threads(1)
    bars, feats = load_features(cfg.base)
    y_all = labels(bars.close, cfg.horizon_bars, cfg.flat_bps)
    first = DEFAULT_SPEC.warmup_bars + cfg.window
    last_train = len(bars) - cfg.holdout_bars - cfg.horizon_bars
    ends = spread_ends(first, last_train, cfg.train_windows)
    raw = windows_at(feats, ends, cfg.window)
    mean = raw.reshape(-1, raw.shape[2]).mean(axis=0)
    std = raw.reshape(-1, raw.shape[2]).std(axis=0)
    std = np.where(std > 0, std, 1.0).astype(np.float32)
    net = _fit(((raw - mean) / std).astype(np.float32), y_all[ends], cfg)
    until_ms = int(bars.ts_open_ms[last_train]) + HOUR_MS
    manifest = Manifest(
        name=cfg.name,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model_family="lstm",
        spec_version=DEFAULT_SPEC.version,
        features=[
            FeatureStat(name=n, mean=float(m), std=float(s))
            for n, m, s in zip(DEFAULT_SPEC.names, mean, std, strict=True)
        ],
        normalisation=Normalisation(clip=1e6),
        window=cfg.window,
        label={"horizon_bars": cfg.horizon_bars, "flat_band_bps": cfg.flat_bps, "kind": "fixed"},
        inputs=[TensorSpec(name="x", shape=["batch", cfg.window, raw.shape[2]])],
        outputs=[TensorSpec(name="probs", shape=["batch", 3])],
        opset=17,
        training=TrainingWindow(
            symbols=[f"{cfg.base}/USDT"],
            timeframe="1h",
            since_ms=int(bars.ts_open_ms[ends[0] - cfg.window + 1]),
            until_ms=until_ms,
            train_windows=len(ends),
            val_windows=0,
            val_from_ms=until_ms,
            base=cfg.base,
        ),
        data_fingerprint=fingerprint([(f"{cfg.base}/USDT", bars)]),
        metrics_protocol="none (bench artifact)",
    )
    with tempfile.TemporaryDirectory(prefix="ntx-artifact-") as scratch:
        stage = Path(scratch)
        torch.onnx.export(
            net,
            (torch.zeros(1, cfg.window, raw.shape[2]),),
            str(stage / MODEL_FILE),
            input_names=["x"],
            output_names=["probs"],
            dynamic_axes={"x": {0: "batch"}, "probs": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        manifest = add_explainer(
            stage, manifest, raw, bars.ts_open_ms[ends] + HOUR_MS, cfg.explainer
        )
        return write_artifact(home, cfg.name, stage, manifest)


__all__ = ["BuildConfig", "build_artifact"]
