"""Model artifacts: ``model.onnx`` + ``manifest.json`` (+ explainer files), hashed and verified."""

from model_engine.artifacts.manifest import (
    EXPLAINER_FILES,
    EXPLAINER_NPZ,
    EXPLAINER_ONNX,
    MANIFEST_FILE,
    MODEL_FILE,
    BackgroundSummary,
    ExplainerInfo,
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
    "EXPLAINER_FILES",
    "EXPLAINER_NPZ",
    "EXPLAINER_ONNX",
    "MANIFEST_FILE",
    "MODEL_FILE",
    "ArtifactError",
    "BackgroundSummary",
    "ExplainerInfo",
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
