"""ONNX export (legacy TorchScript exporter, opset 20, dynamic batch) and onnxruntime sessions.

The legacy exporter is used on purpose: its graphs ran 1.2-1.45x faster in onnxruntime than the
dynamo exporter's here (FIELD_NOTES "ONNX").
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import onnxruntime as ort  # type: ignore[import-untyped]
import torch
from torch import Tensor, nn

from model_engine.training.ensemble import EnsembleModule
from model_engine.training.modules import Classifier
from model_engine.training.trainer import TrainedModel

OPSET = 20
INPUT_NAME = "x"
OUTPUT_NAMES = ("logits", "probabilities")


@dataclass(frozen=True)
class OnnxInfo:
    """Names and shapes of an exported graph (``"batch"`` is the dynamic axis)."""

    input_name: str
    input_shape: tuple[str | int, ...]
    output_names: tuple[str, ...]
    output_shape: tuple[str | int, ...]
    opset: int


class _WithProbabilities(nn.Module):
    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        logits = self.module(x)
        return logits, torch.softmax(logits, dim=1)


def export_onnx(
    model: TrainedModel | Classifier | EnsembleModule, path: Path, window: int, n_features: int
) -> OnnxInfo:
    """Write `model` to `path` as ONNX.

    Input ``x``: ``(batch, window, f)`` float32 NORMALISED windows (``(raw - mean) / std`` with
    the manifest's statistics; the graph clamps them). Outputs ``logits`` and ``probabilities``:
    ``(batch, 3)`` over (down, flat, up).

    Returns
    -------
    OnnxInfo
        Tensor names, shapes and opset (for the manifest).
    """
    module = model.module if isinstance(model, TrainedModel) else model
    module.eval()
    wrapper = _WithProbabilities(module).eval()
    example = torch.zeros(2, window, n_features, dtype=torch.float32)
    batch = {0: "batch"}
    with warnings.catch_warnings():  # grad on: no fused Transformer fast path in the trace
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            (example,),
            str(path),
            input_names=[INPUT_NAME],
            output_names=list(OUTPUT_NAMES),
            dynamic_axes={INPUT_NAME: batch, **dict.fromkeys(OUTPUT_NAMES, batch)},
            opset_version=OPSET,
            dynamo=False,
            do_constant_folding=True,
        )
    return OnnxInfo(INPUT_NAME, ("batch", window, n_features), OUTPUT_NAMES, ("batch", 3), OPSET)


def ort_session(path: Path | bytes, threads: int = 1) -> ort.InferenceSession:
    """Return a CPU onnxruntime session with `threads` intra-op threads (1 on a shared box)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    source = path if isinstance(path, bytes) else str(path)
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


__all__ = ["INPUT_NAME", "OPSET", "OUTPUT_NAMES", "OnnxInfo", "export_onnx", "ort_session"]
