"""Training: LSTM and Transformer classifiers, one seeded loop, ONNX export.

``fit(TrainConfig(model="lstm"), train, val)`` returns a `TrainedModel` whose
``predict_proba(raw_windows)`` gives ``(m, 3)`` probabilities (down, flat, up);
``export_onnx(model, path, window, n_features)`` writes its graph.
"""

from model_engine.training.config import ModelFamily, TrainConfig
from model_engine.training.ensemble import EnsembleModule, fit_ensemble
from model_engine.training.export import OnnxInfo, export_onnx, ort_session
from model_engine.training.modules import (
    Classifier,
    LstmClassifier,
    TransformerClassifier,
    build_module,
)
from model_engine.training.trainer import TrainedModel, fit

__all__ = [
    "Classifier",
    "EnsembleModule",
    "LstmClassifier",
    "ModelFamily",
    "OnnxInfo",
    "TrainConfig",
    "TrainedModel",
    "TransformerClassifier",
    "build_module",
    "export_onnx",
    "fit",
    "fit_ensemble",
    "ort_session",
]
