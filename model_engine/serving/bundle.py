"""One model artifact as serving sees it: ONNX sessions, manifest facts and explainer files.

Layout of ``NTX_HOME/models/<name>/<version>/``: ``model.onnx``, ``manifest.json`` and, for
explanations, ``explainer.onnx`` + ``explainer.npz`` (background windows, base values, OOD and
drift references). Verification is `model_engine.artifacts.load_artifact`'s (every file hashed,
no unlisted file, features equal to the live spec's).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime as ort  # type: ignore[import-untyped]

from model_engine.artifacts import (
    EXPLAINER_NPZ,
    MANIFEST_FILE,
    MODEL_FILE,
    Manifest,
    load_artifact,
)

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
FALLBACK_BACKGROUND = 16


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def session(path: Path, threads: int = 1) -> ort.InferenceSession:
    """Open an onnxruntime CPU session with `threads` intra-op threads (one by default)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@dataclass
class ModelBundle:
    """A loaded artifact.

    Attributes
    ----------
    path
        The artifact folder.
    manifest
        ``manifest.json`` as a JSON dict (`meta` is the typed, verified `Manifest`).
    features
        Feature names in input order (must equal the live spec's).
    window, horizon_bars
        Input length in bars and label horizon.
    """

    path: Path
    manifest: dict[str, Any]
    features: tuple[str, ...]
    window: int
    horizon_bars: int
    name: str
    version: str
    manifest_sha256: str
    model: ort.InferenceSession
    explainer: ort.InferenceSession | None
    extras: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    mean: F32 | None = None
    std: F32 | None = None
    meta: Manifest | None = None

    def prepare(self, raw: F32) -> F32:
        """Return `raw` windows ``(m, window, features)`` as the model consumes them."""
        x = np.nan_to_num(raw.astype(np.float32, copy=False))
        if self.mean is None or self.std is None:
            return x
        z = (x - self.mean) / self.std
        clip = None if self.meta is None else self.meta.normalisation.clip
        return (z if clip is None else np.clip(z, -clip, clip)).astype(np.float32)

    def predict(self, raw: F32) -> F32:
        """Return class probabilities ``(m, 3)`` (down, flat, up) of raw windows."""
        name = self.model.get_inputs()[0].name
        out = np.asarray(self.model.run(None, {name: self.prepare(raw)})[0], dtype=np.float32)
        if np.all(out >= 0) and np.allclose(out.sum(axis=1), 1.0, atol=1e-3):
            return out
        shifted = np.exp(out - out.max(axis=1, keepdims=True))
        return np.asarray(shifted / shifted.sum(axis=1, keepdims=True), dtype=np.float32)


def _norm(manifest: Manifest) -> tuple[F32 | None, F32 | None]:
    if manifest.normalisation.in_graph:
        return None, None
    mean = np.array([f.mean for f in manifest.features], dtype=np.float32)
    std = np.array([f.std or 1.0 for f in manifest.features], dtype=np.float32)
    return mean, np.where(std > 0, std, 1.0).astype(np.float32)


def open_bundle(
    path: Path,
    manifest: Manifest,
    *,
    explainer: Path | None = None,
    manifest_sha256: str = "",
    threads: int = 1,
) -> ModelBundle:
    """Open the sessions of an artifact folder WITHOUT verifying it (use `load_bundle`).

    Also used at build time on a staging folder (no ``manifest.json`` yet) to run the model
    while its explainer is trained (there with `threads` intra-op threads).
    """
    extras: dict[str, npt.NDArray[Any]] = {}
    if explainer is not None and (path / EXPLAINER_NPZ).is_file():
        with np.load(path / EXPLAINER_NPZ) as data:
            extras = {k: data[k] for k in data.files}
    elif manifest.explainer_background is not None:  # the fallback's background: 16 of them
        stored = np.load(path / manifest.explainer_background.file, allow_pickle=False)
        pick = np.unique(np.linspace(0, len(stored) - 1, FALLBACK_BACKGROUND).round().astype(int))
        extras = {"background": np.asarray(stored[pick], dtype=np.float32)}
    mean, std = _norm(manifest)
    digest = manifest_sha256 or hashlib.sha256(manifest.model_dump_json().encode()).hexdigest()
    return ModelBundle(
        path=path,
        manifest=manifest.model_dump(mode="json"),
        features=tuple(manifest.feature_names),
        window=manifest.window,
        horizon_bars=int(manifest.label.get("horizon_bars", 1)),
        name=manifest.name,
        version=manifest.version,
        manifest_sha256=digest,
        model=session(path / MODEL_FILE, threads),
        explainer=None if explainer is None else session(explainer),
        extras=extras,
        mean=mean,
        std=std,
        meta=manifest,
    )


def load_bundle(path: Path, spec_names: tuple[str, ...] | None = None) -> ModelBundle:
    """Load an artifact folder verified by `model_engine.artifacts.load_artifact`.

    The amortised explainer is opened only when the manifest's ``explainer`` block was built
    for this ``model.onnx``; otherwise serving falls back to sampled permutation Shapley.

    Raises
    ------
    OperationalError
        (`ArtifactError`) A file is missing, unlisted or its sha256 differs, or the features
        differ from `spec_names`.
    """
    loaded = load_artifact(path, names=spec_names)
    if loaded.manifest.explainer is not None and loaded.explainer_path is None:
        log.warning("%s: the explainer was built for another model; not used", path)
    return open_bundle(
        path,
        loaded.manifest,
        explainer=loaded.explainer_path,
        manifest_sha256=sha256_of(path / MANIFEST_FILE),
    )


def newest_versions(home: Path) -> dict[str, Path]:
    """Return ``{model name: newest version folder}`` under ``home/models`` (by name order)."""
    root = home / "models"
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for model_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        versions = sorted(p for p in model_dir.iterdir() if (p / "manifest.json").is_file())
        if versions:
            found[model_dir.name] = versions[-1]
    return found
