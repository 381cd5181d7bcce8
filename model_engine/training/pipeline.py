"""From candles to a published artifact: what ``ntx train`` runs."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from feature_spec import DEFAULT_SPEC, FeatureSpec, Ohlcv, compute_batch
from model_engine.artifacts import (
    ENSEMBLE_FAMILY,
    BackgroundSummary,
    FeatureStat,
    Manifest,
    Normalisation,
    TensorSpec,
    TrainingWindow,
    write_artifact,
)
from model_engine.datasets import (
    LabelSpec,
    Windows,
    build_windows,
    concat_windows,
    fingerprint,
    quantile_band_labels,
)
from model_engine.explain.build import OOD_SUMMARIES, ExplainerConfig, add_explainer, evenly
from model_engine.training.config import TrainConfig
from model_engine.training.ensemble import fit_ensemble
from model_engine.training.export import export_onnx
from model_engine.training.trainer import TrainedModel, fit

log = logging.getLogger(__name__)
BACKGROUND_FILE = "background.npy"
DEMO_EXPLAINER = ExplainerConfig(windows=2048, permutations=2, epochs=300, arch="player")
"""``ntx train``'s default explainer budget: keeps the demo's first model within minutes."""


@dataclass(frozen=True)
class TrainRequest:
    """One ``ntx train`` run: which data, which labels, which model, where to publish."""

    symbols: tuple[str, ...]
    timeframe: str
    since_ms: int
    until_ms: int
    candles: Mapping[str, Ohlcv]
    """Each symbol's candles opening in ``[since_ms, until_ms)`` (`market_store.loader`)."""
    home: Path
    config: TrainConfig = field(default_factory=TrainConfig)
    members: tuple[TrainConfig, ...] = ()
    """Two or more configs: train each and publish their probability average (``ensemble``)."""
    label: LabelSpec = field(default_factory=LabelSpec)
    flat_fraction: float | None = None
    """Fixed labels only: each symbol's flat band holds this share of its training labels
    (the walk-forward protocol's labels); None keeps ``label.flat_band_bps`` for all."""
    window: int = 64
    val_fraction: float = 0.2
    max_windows: int | None = None
    background: int = 64
    name: str | None = None
    explainer: ExplainerConfig | None = field(default_factory=lambda: DEMO_EXPLAINER)


def class_shares(y: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return the (down, flat, up) shares of the labels `y` (zeros for no labels)."""
    labels = np.asarray(y, dtype=np.int64)
    return np.bincount(labels, minlength=3)[:3] / max(labels.size, 1)


def probability_metrics(
    proba: npt.ArrayLike, y: npt.ArrayLike, prior: npt.ArrayLike
) -> dict[str, float]:
    """Score ``(m, 3)`` class probabilities against labels `y` and the naive forecast.

    ``prior_log_loss`` is the log loss of always forecasting `prior` (the TRAINING labels'
    class shares): a model is worth more than that constant only if its ``log_loss`` is lower.
    ``majority_accuracy`` is the accuracy of always picking the most frequent class of `y`.
    """
    p = np.asarray(proba, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    base = np.asarray(prior, dtype=np.float64)
    rows = np.arange(labels.size)
    counts = class_shares(labels)
    predicted = class_shares(p.argmax(axis=1))
    metrics = {
        "accuracy": float(np.mean(p.argmax(axis=1) == labels)),
        "log_loss": float(-np.mean(np.log(np.clip(p[rows, labels], 1e-12, 1.0)))),
        "majority_accuracy": float(counts.max()),
        "prior_log_loss": float(-np.mean(np.log(np.clip(base[labels] / base.sum(), 1e-12, 1.0)))),
        "n_windows": float(labels.size),
    }
    for k, label in enumerate(("down", "flat", "up")):
        metrics[f"share_{label}"] = float(counts[k])
        metrics[f"predicted_{label}"] = float(predicted[k])
    return metrics


def holdout_metrics(model: TrainedModel, val: Windows, prior: npt.ArrayLike) -> dict[str, float]:
    """Return accuracy, log loss, the majority-class and training-prior baselines and class
    shares on `val` (see `probability_metrics`); `prior` is the training labels' class shares
    (`class_shares` of the training windows' labels)."""
    return probability_metrics(model.predict_proba(val), val.y, prior)


def load_windows(request: TrainRequest, spec: FeatureSpec) -> tuple[Windows, str, list[int]]:
    """Compute every symbol's features and cut windows; return them, the data fingerprint
    (most recent `max_windows` across symbols when capped) and the first feature row of each
    symbol."""
    parts, series = [], []
    for symbol in request.symbols:
        bars = request.candles[symbol]
        series.append((symbol, bars))
        parts.append(build_windows(bars, compute_batch(spec, bars), request.label, request.window))
    windows = concat_windows(parts)
    starts = np.cumsum([0] + [p.features.shape[0] for p in parts[:-1]]).tolist()
    if request.max_windows is not None and len(windows) > request.max_windows:
        order = np.argsort(windows.ts_close_ms, kind="stable")
        windows = windows.take(np.sort(order[-request.max_windows :]))
    return windows, fingerprint(series), starts


def _labelled(
    request: TrainRequest, windows: Windows, starts: list[int], boundary: int
) -> tuple[Windows, dict[str, object]]:
    """Apply the request's per-symbol flat bands (if any); return the windows and the label
    definition the manifest records."""
    definition = request.label.definition()
    if request.flat_fraction is None or request.label.kind != "fixed":
        return windows, definition
    windows, bands = quantile_band_labels(windows, starts, boundary, request.flat_fraction)
    by_symbol = {s: round(b * 1e4, 3) for s, b in zip(request.symbols, bands, strict=True)}
    return windows, {
        **definition,
        "flat_band_bps": None,
        "flat_fraction": request.flat_fraction,
        "flat_band_bps_by_symbol": by_symbol,
    }


def _explain(request: TrainRequest, stage: Path, manifest: Manifest, train: Windows) -> Manifest:
    if request.explainer is None:
        return manifest
    order = np.argsort(train.ts_close_ms, kind="stable")
    rows = order[evenly(max(request.explainer.windows, OOD_SUMMARIES), len(train))]
    raw = train.windows_at(rows)
    return add_explainer(stage, manifest, raw, train.ts_close_ms[rows], request.explainer)


def _fit(
    request: TrainRequest, train: Windows, val: Windows
) -> tuple[TrainedModel, str, dict[str, object]]:
    """Fit the request's model; return it, its family and the config the manifest records."""
    recorded = request.config.model_dump(mode="json", exclude={"log_dir"})
    if len(request.members) < 2:
        return fit(request.config, train, val), request.config.model, recorded
    members = [{"model": c.model, "seed": c.seed} for c in request.members]
    model = fit_ensemble(list(request.members), train, val)
    return model, ENSEMBLE_FAMILY, {**recorded, "model": ENSEMBLE_FAMILY, "members": members}


def train_artifact(request: TrainRequest, spec: FeatureSpec = DEFAULT_SPEC) -> Path:
    """Train on the request's data and publish ``<home>/models/<name>/<version>/``.

    The last `val_fraction` of windows (by prediction time, purged at the boundary) validate
    and early-stop; their metrics go into the manifest with protocol ``holdout``. Unless
    ``request.explainer`` is None, the amortised explainer is built on the training windows and
    shipped in the artifact (``explainer.onnx`` + ``explainer.npz``, hashed like the model).

    Raises
    ------
    ValueError
        If there are too few windows to split.
    """
    windows, data_fp, starts = load_windows(request, spec)
    if len(windows) < 10:
        raise ValueError(f"only {len(windows)} windows: widen --since/--until")
    boundary = int(np.quantile(windows.ts_close_ms, 1.0 - request.val_fraction))
    windows, label = _labelled(request, windows, starts, boundary)
    train, val = windows.split(boundary)
    log.info(
        "training %s on %d windows, validating on %d", request.config.model, len(train), len(val)
    )
    model, family, recorded = _fit(request, train, val)
    rng = np.random.default_rng(request.config.seed)
    picks = np.sort(rng.choice(len(train), size=min(request.background, len(train)), replace=False))
    background = train.windows_at(picks)
    name = request.name or f"{family}-{request.timeframe}"
    base = request.symbols[0].upper().partition("/")[0]
    with tempfile.TemporaryDirectory(prefix="ntx-artifact-") as scratch:
        stage = Path(scratch)
        info = export_onnx(model, stage / "model.onnx", request.window, windows.n_features)
        np.save(stage / BACKGROUND_FILE, background, allow_pickle=False)
        manifest = Manifest(
            name=name,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            model_family=family,
            spec_version=spec.version,
            features=[
                FeatureStat(name=n, mean=float(m), std=float(s))
                for n, m, s in zip(
                    spec.names, model.normaliser.mean, model.normaliser.std, strict=True
                )
            ],
            normalisation=Normalisation(clip=model.normaliser.clip),
            window=request.window,
            label=label,
            inputs=[TensorSpec(name=info.input_name, shape=list(info.input_shape))],
            outputs=[TensorSpec(name=n, shape=list(info.output_shape)) for n in info.output_names],
            opset=info.opset,
            training=TrainingWindow(
                symbols=list(request.symbols),
                timeframe=request.timeframe,
                since_ms=request.since_ms,
                until_ms=request.until_ms,
                train_windows=len(train),
                val_windows=len(val),
                val_from_ms=boundary + 1,
                base=base,
            ),
            data_fingerprint=data_fp,
            metrics=holdout_metrics(model, val, class_shares(train.y)),
            metrics_protocol=f"holdout: last {request.val_fraction:.0%} of windows, purged",
            explainer_background=BackgroundSummary(
                file=BACKGROUND_FILE,
                count=len(picks),
                seed=request.config.seed,
                feature_mean=[float(v) for v in background.mean(axis=(0, 1))],
            ),
            config=recorded,
        )
        manifest = _explain(request, stage, manifest, train)
        return write_artifact(request.home, name, stage, manifest)


__all__ = [
    "BACKGROUND_FILE",
    "DEMO_EXPLAINER",
    "TrainRequest",
    "class_shares",
    "holdout_metrics",
    "load_windows",
    "probability_metrics",
    "train_artifact",
]
