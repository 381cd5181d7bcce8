"""One model artifact as serving sees it: ONNX sessions, manifest facts and explainer files.

Layout of ``NTX_HOME/models/<name>/<version>/``: ``model.onnx``, ``manifest.json`` and, for
explanations, ``explainer.onnx`` + ``explainer.npz`` (background windows, base values, OOD and
drift references). Every file listed in the manifest's ``sha256`` map is verified on load.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime as ort  # type: ignore[import-untyped]

from model_engine.errors import OperationalError

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
EXPLAINER_FILES = ("explainer.onnx", "explainer.npz")


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
        ``manifest.json`` as read.
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

    def prepare(self, raw: F32) -> F32:
        """Return `raw` windows ``(m, window, features)`` as the model consumes them."""
        x = np.nan_to_num(raw.astype(np.float32, copy=False))
        if self.mean is None or self.std is None:
            return x
        z = (x - self.mean) / self.std
        clip = dict(self.manifest.get("normalisation") or {}).get("clip")
        return (z if clip is None else np.clip(z, -clip, clip)).astype(np.float32)

    def predict(self, raw: F32) -> F32:
        """Return class probabilities ``(m, 3)`` (down, flat, up) of raw windows."""
        name = self.model.get_inputs()[0].name
        out = np.asarray(self.model.run(None, {name: self.prepare(raw)})[0], dtype=np.float32)
        if np.all(out >= 0) and np.allclose(out.sum(axis=1), 1.0, atol=1e-3):
            return out
        shifted = np.exp(out - out.max(axis=1, keepdims=True))
        return np.asarray(shifted / shifted.sum(axis=1, keepdims=True), dtype=np.float32)


def _features(manifest: dict[str, Any]) -> tuple[str, ...]:
    raw = manifest.get("features") or manifest.get("feature_names") or []
    return tuple(f["name"] if isinstance(f, dict) else str(f) for f in raw)


def _norm(manifest: dict[str, Any]) -> tuple[F32 | None, F32 | None]:
    raw = manifest.get("features") or []
    if dict(manifest.get("normalisation") or {}).get("in_graph"):
        return None, None
    if raw and isinstance(raw[0], dict) and "mean" in raw[0]:
        mean = np.array([f["mean"] for f in raw], dtype=np.float32)
        std = np.array([f["std"] or 1.0 for f in raw], dtype=np.float32)
        return mean, np.where(std > 0, std, 1.0).astype(np.float32)
    return None, None


def load_bundle(path: Path, spec_names: tuple[str, ...] | None = None) -> ModelBundle:
    """Load and verify an artifact folder.

    Raises
    ------
    OperationalError
        A file is missing or its sha256 differs, or the features differ from `spec_names`.
    """
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file() or not (path / "model.onnx").is_file():
        raise OperationalError(f"{path}: no manifest.json/model.onnx")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    for rel, digest in dict(manifest.get("sha256", {})).items():
        if sha256_of(path / rel) != digest:
            raise OperationalError(f"{path / rel}: sha256 differs from the manifest")
    features = _features(manifest)
    if spec_names is not None and features != spec_names:
        raise OperationalError(f"{path}: features differ from the live spec")
    has_explainer = all((path / f).is_file() for f in EXPLAINER_FILES)
    extras: dict[str, npt.NDArray[Any]] = {}
    if (path / "explainer.npz").is_file():
        with np.load(path / "explainer.npz") as data:
            extras = {k: data[k] for k in data.files}
    mean, std = _norm(manifest)
    explained = str(extras.get("model_sha256", ""))
    if has_explainer and explained and explained != sha256_of(path / "model.onnx"):
        log.warning("%s: explainer.onnx was built for another model; not used", path)
        has_explainer = False
    return ModelBundle(
        path=path,
        manifest=manifest,
        features=features,
        window=int(manifest["window"]),
        horizon_bars=int(
            manifest.get("horizon_bars") or manifest.get("label", {}).get("horizon_bars", 1)
        ),
        name=str(manifest["name"]),
        version=str(manifest["version"]),
        manifest_sha256=sha256_of(manifest_path),
        model=session(path / "model.onnx"),
        explainer=session(path / "explainer.onnx") if has_explainer else None,
        extras=extras,
        mean=mean,
        std=std,
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
