"""Build a small explained artifact from real candles (torch at build time only).

Used by the benches and the audit when ``NTX_HOME`` holds no artifact, and by tests with tiny
budgets. The explainer files (``explainer.onnx``, ``explainer.npz``) and the ``explainer``
manifest block are what any artifact needs to be served with fast SHAP.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch
from torch import nn

from feature_spec import DEFAULT_SPEC
from model_engine.explain.amortised import export_explainer, shapley_targets, train_explainer
from model_engine.explain.ood import summarise
from model_engine.explain.realdata import labels, load_features, spread_ends, windows_at
from model_engine.serving.bundle import load_bundle, sha256_of


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
    explainer_windows: int = 2048
    permutations: int = 2
    explainer_epochs: int = 600
    seed: int = 0


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
    version = datetime.now(UTC).strftime("v%Y%m%dT%H%M%S%f")
    folder = home / "models" / cfg.name / version
    folder.mkdir(parents=True)
    torch.onnx.export(
        net,
        (torch.zeros(1, cfg.window, raw.shape[2]),),
        str(folder / "model.onnx"),
        input_names=["x"],
        output_names=["probs"],
        dynamic_axes={"x": {0: "batch"}, "probs": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    manifest = {
        "name": cfg.name,
        "version": version,
        "window": cfg.window,
        "horizon_bars": cfg.horizon_bars,
        "spec_version": DEFAULT_SPEC.version,
        "features": [
            {"name": n, "mean": float(m), "std": float(s)}
            for n, m, s in zip(DEFAULT_SPEC.names, mean, std, strict=True)
        ],
        "label": {"horizon_bars": cfg.horizon_bars, "flat_band_bps": cfg.flat_bps},
        "training": {"base": cfg.base, "timeframe": "1h", "last_train_index": int(last_train)},
    }
    _write(folder, manifest)
    add_explainer(folder, raw, ends, cfg)
    return folder


def add_explainer(folder: Path, train_raw: np.ndarray, ends: np.ndarray, cfg: BuildConfig) -> None:
    """Build ``explainer.onnx`` + ``explainer.npz`` for the artifact in `folder`."""
    bundle = load_bundle(folder)
    pick = np.linspace(0, len(train_raw) - 1, 16).round().astype(int)
    background = train_raw[pick]  # 16 real windows spread evenly over the training period
    base = bundle.predict(background).astype(np.float64).mean(axis=0)
    chosen = np.linspace(0, len(train_raw) - 1, cfg.explainer_windows).round().astype(int)
    windows = train_raw[chosen]
    targets = shapley_targets(bundle.predict, windows, background, cfg.permutations, cfg.seed)
    fx = bundle.predict(windows)
    net = train_explainer(bundle.prepare(windows), targets, fx, base, epochs=cfg.explainer_epochs)
    export_explainer(net, folder / "explainer.onnx", cfg.window)
    top = fx.argmax(axis=1)
    np.savez(
        folder / "explainer.npz",
        background=background,
        model_sha256=np.array(sha256_of(folder / "model.onnx")),
        background_ends=ends[pick],
        base=base,
        ood_reference=summarise(train_raw[:: max(1, len(train_raw) // 2000)]),
        reference_abs_phi=np.abs(targets[np.arange(len(top)), :, top]).mean(axis=0),
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["explainer"] = {
        "method": "fastshap-conv1d+efficiency",
        "players": list(bundle.features),
        "output_space": "probability of the predicted class",
        "background": f"16 real training windows evenly spaced in time, ends {ends[pick].tolist()}",
        "expected_value": {"down": base[0], "flat": base[1], "up": base[2]},
        "targets": f"{len(windows)} windows x {cfg.permutations} antithetic permutations x 16 bg",
    }
    _write(folder, manifest)


def _write(folder: Path, manifest: dict[str, object]) -> None:
    files = [p.name for p in sorted(folder.iterdir()) if p.name != "manifest.json"]
    manifest["sha256"] = {name: sha256_of(folder / name) for name in files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
