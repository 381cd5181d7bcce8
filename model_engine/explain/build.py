"""Build the amortised explainer of a staged artifact (torch at build time only).

`add_explainer` writes ``explainer.onnx`` + ``explainer.npz`` into a staging folder that already
holds ``model.onnx`` and returns the manifest with its typed ``explainer`` block; the caller then
publishes the folder with `model_engine.artifacts.write_artifact`, which hashes every file.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from rich.console import Console
from rich.progress import Progress

from model_engine.artifacts import (
    EXPLAINER_NPZ,
    EXPLAINER_ONNX,
    MODEL_FILE,
    ExplainerInfo,
    Manifest,
    sha256_file,
)
from model_engine.explain.amortised import export_explainer, shapley_targets, train_explainer
from model_engine.explain.metrics import spearman
from model_engine.explain.ood import summarise
from model_engine.explain.runtime import OUTPUT_SPACE
from model_engine.explain.shapley import dummy_players
from model_engine.serving.bundle import open_bundle

log = logging.getLogger(__name__)
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
OOD_SUMMARIES = 2_000


@dataclass(frozen=True)
class ExplainerConfig:
    """Budget of the amortised explainer (cost ~ windows x permutations x 38 x background).

    Attributes
    ----------
    windows
        Training windows (evenly spaced in time) whose Shapley targets the net learns.
    permutations
        Permutation orders per window (antithetic: rounded up to pairs).
    epochs
        Passes of the explainer net over its targets (batch 128).
    background
        Real background windows, evenly spaced over the training period.
    arch
        ``player`` (one head shared by every player; default, ADR 0006), ``mlp`` (last rows
        + mean) or ``conv1d``.
    """

    windows: int = 4096
    permutations: int = 2
    epochs: int = 600
    background: int = 16
    seed: int = 0
    arch: str = "player"

    @property
    def method(self) -> str:
        """Return the method name signals carry (``fastshap-<arch>+efficiency``)."""
        return f"fastshap-{self.arch}+efficiency"


def evenly(count: int, total: int) -> I64:
    """Return up to `count` distinct indices spread evenly over ``0 .. total - 1``."""
    return np.unique(np.linspace(0, total - 1, min(count, total)).round().astype(np.int64))


def add_explainer(
    stage: Path, manifest: Manifest, train_raw: F32, end_ms: I64, cfg: ExplainerConfig
) -> Manifest:
    """Train the explainer of ``stage/model.onnx`` and write its files into `stage`.

    Parameters
    ----------
    stage
        Staging folder holding ``model.onnx`` (no manifest needed yet).
    manifest
        The artifact's manifest (features, normalisation, window, label).
    train_raw
        ``(n, window, features)`` raw training windows in time order (background, targets and
        the OOD reference are drawn from them evenly).
    end_ms
        ``(n,)`` close time (UTC epoch ms) of each window's last bar.
    cfg
        Budgets.

    Returns
    -------
    Manifest
        `manifest` with its ``explainer`` block filled in.
    """
    started = time.perf_counter()
    torch.set_num_threads(1)
    bundle = open_bundle(stage, manifest, threads=os.cpu_count() or 1)  # targets dominate
    pick = evenly(cfg.background, len(train_raw))
    background = train_raw[pick]
    base = bundle.predict(background).astype(np.float64).mean(axis=0)
    windows = train_raw[evenly(cfg.windows, len(train_raw))]
    with Progress(console=Console(stderr=True)) as progress:
        step = progress.add_task("explainer: Shapley targets (windows)", total=len(windows))
        targets = shapley_targets(
            bundle.predict, windows, background, cfg.permutations, cfg.seed,
            tick=lambda: progress.advance(step),
        )  # fmt: skip
        fx = bundle.predict(windows)
        prepared = bundle.prepare(windows)
        step = progress.add_task(f"explainer: {cfg.arch} net (epochs)", total=cfg.epochs)
        net = train_explainer(
            prepared, targets, fx, base, epochs=cfg.epochs, seed=cfg.seed, arch=cfg.arch,
            background=bundle.prepare(background), tick=lambda: progress.advance(step),
        )  # fmt: skip
    export_explainer(net, stage / EXPLAINER_ONNX, manifest.window)
    top = fx.argmax(axis=1)
    rows = np.arange(len(top))
    with torch.no_grad():
        fitted = net(torch.from_numpy(prepared)).numpy()[rows, :, top]
    fitted = np.where(dummy_players(windows, background), 0.0, fitted)  # as serving does
    fit = float(np.median([spearman(fitted[i], targets[i, :, top[i]]) for i in rows]))
    model_sha = sha256_file(stage / MODEL_FILE)
    np.savez(
        stage / EXPLAINER_NPZ,
        background=background,
        model_sha256=np.array(model_sha),
        background_end_ms=end_ms[pick],
        base=base,
        ood_reference=summarise(train_raw[evenly(OOD_SUMMARIES, len(train_raw))]),
        reference_abs_phi=np.abs(targets[rows, :, top]).mean(axis=0),
    )
    secs = time.perf_counter() - started
    log.info("explainer built in %.1f s (fit Spearman %.3f)", secs, fit)
    info = ExplainerInfo(
        method=cfg.method,
        players=list(manifest.feature_names),
        output_space=OUTPUT_SPACE,
        background=f"{len(pick)} real training windows evenly spaced in time",
        background_end_ms=[int(v) for v in end_ms[pick]],
        expected_value=dict(zip(("down", "flat", "up"), map(float, base), strict=True)),
        targets=f"{len(windows)} windows x {max(1, (cfg.permutations + 1) // 2) * 2} antithetic "
        f"permutation orders x {len(pick)} backgrounds; {cfg.epochs} epochs",
        model_sha256=model_sha,
        fit_spearman=fit,
        build_secs=round(secs, 1),
    )
    return manifest.model_copy(update={"explainer": info})


__all__ = ["ExplainerConfig", "add_explainer", "evenly"]
