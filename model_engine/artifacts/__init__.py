"""Model artifacts: ``model.onnx`` + ``manifest.json`` (+ explainer files), hashed and verified."""

from model_engine.artifacts.manifest import (
    MANIFEST_FILE,
    MODEL_FILE,
    BackgroundSummary,
    FeatureStat,
    Manifest,
    Normalisation,
    TensorSpec,
    TrainingWindow,
)
from model_engine.artifacts.store import (
    ArtifactError,
    LoadedArtifact,
    list_artifacts,
    load_artifact,
    models_dir,
    read_manifest,
    sha256_file,
    write_artifact,
)

__all__ = [
    "MANIFEST_FILE",
    "MODEL_FILE",
    "ArtifactError",
    "BackgroundSummary",
    "FeatureStat",
    "LoadedArtifact",
    "Manifest",
    "Normalisation",
    "TensorSpec",
    "TrainingWindow",
    "list_artifacts",
    "load_artifact",
    "models_dir",
    "read_manifest",
    "sha256_file",
    "write_artifact",
]
