"""The manifest of a model artifact: everything serving must know, nothing pickled."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MANIFEST_FORMAT = 1
MANIFEST_FILE = "manifest.json"
MODEL_FILE = "model.onnx"
ENSEMBLE_FAMILY = "ensemble"
"""`model_family` of an artifact averaging several members' probabilities (members in config)."""
EXPLAINER_ONNX = "explainer.onnx"
EXPLAINER_NPZ = "explainer.npz"
EXPLAINER_FILES = (EXPLAINER_ONNX, EXPLAINER_NPZ)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeatureStat(_Strict):
    """One input feature, in column order, with its training-window statistics."""

    name: str
    mean: float
    std: float


class Normalisation(_Strict):
    """How raw features become model inputs: ``(x - mean) / std`` with each feature's stats.

    The caller applies it (``in_graph`` is False); the graph then clamps to ``±clip`` itself.
    """

    formula: str = "(x - mean) / std"
    clip: float
    in_graph: bool = False


class TensorSpec(_Strict):
    """A graph input or output; ``"batch"`` marks the dynamic axis."""

    name: str
    shape: list[str | int]
    dtype: str = "float32"


class TrainingWindow(_Strict):
    """What the model was trained and validated on (UTC epoch ms, candle-open times)."""

    symbols: list[str]
    timeframe: str
    since_ms: int
    until_ms: int
    train_windows: int
    val_windows: int
    val_from_ms: int = Field(description="first prediction time of the validation windows")
    base: str | None = Field(
        None, description="base asset of the symbol whose candles the audit reads (BTC)"
    )
    last_train_index: int | None = Field(
        None,
        description="older artifacts only: row, in that symbol's candle file, of the last bar "
        "training used (the audit now starts its holdout at until_ms plus the horizon)",
    )


class BackgroundSummary(_Strict):
    """The explainers' background set, stored as ``file`` (an ``.npy`` of raw windows)."""

    file: str
    count: int
    seed: int
    feature_mean: list[float]


class ExplainerInfo(_Strict):
    """The amortised explainer shipped as ``explainer.onnx`` + ``explainer.npz`` (ADR 0006).

    Serving uses it only when `model_sha256` equals the sha256 of the artifact's ``model.onnx``.
    """

    method: str
    players: list[str]
    output_space: str
    background: str = Field(description="how the background windows were chosen")
    background_end_ms: list[int] = Field(
        description="close time (UTC epoch ms) of each background window's last bar"
    )
    expected_value: dict[str, float] = Field(description="background mean per class")
    targets: str = Field(description="what the explainer was trained to reproduce")
    model_sha256: str
    fit_spearman: float | None = Field(
        None, description="median Spearman of the explainer vs its own targets (training fit)"
    )
    build_secs: float | None = None


class Manifest(_Strict):
    """``manifest.json`` of ``NTX_HOME/models/<name>/<version>/``.

    ``sha256`` maps every other file of the artifact to its sha256; `load_artifact` refuses the
    artifact when a hash, the feature names or the feature-spec version do not match. Unknown
    top-level keys are kept (the walk-forward evaluation may add its own), and manifest.json is
    not itself hashed, so adding metrics later does not invalidate the artifact.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    format: int = MANIFEST_FORMAT
    name: str
    version: str = ""
    created_at: str
    model_family: str
    spec_version: str
    features: list[FeatureStat]
    normalisation: Normalisation
    window: int
    label: dict[str, Any]
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]
    opset: int
    sha256: dict[str, str] = Field(default_factory=dict)
    training: TrainingWindow
    data_fingerprint: str
    metrics: dict[str, float] = Field(default_factory=dict)
    metrics_protocol: str = ""
    walk_forward: dict[str, Any] | None = None
    explainer_background: BackgroundSummary | None = None
    explainer: ExplainerInfo | None = None
    config: dict[str, Any] = Field(default_factory=dict)

    @property
    def feature_names(self) -> list[str]:
        """Return the input feature names in column order."""
        return [f.name for f in self.features]


__all__ = [
    "ENSEMBLE_FAMILY",
    "EXPLAINER_FILES",
    "EXPLAINER_NPZ",
    "EXPLAINER_ONNX",
    "MANIFEST_FILE",
    "MODEL_FILE",
    "BackgroundSummary",
    "ExplainerInfo",
    "FeatureStat",
    "Manifest",
    "Normalisation",
    "TensorSpec",
    "TrainingWindow",
]
