"""One-window inference latency: onnxruntime fp32 and int8 vs torch eager, interleaved.

The model is the issue's reference: an LSTM with 2 layers, hidden size 64, window 64 over the
default feature spec, seeded and briefly trained (30 batches) on real BTC/USDT 1h windows (from
NTX_DATA_DIR, else downloaded); inputs are held-out windows after the training split. Everything
runs on one thread: ``torch.set_num_threads(1)`` and ``intra_op_num_threads=1``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

WINDOW, HIDDEN, LAYERS = 64, 64, 2


def _model_and_inputs(count: int, train_batches: int) -> tuple[Any, npt.NDArray[np.float32]]:
    """Return the reference LSTM and `count` normalised held-out windows.

    The LSTM gets `train_batches` batches of 128 windows of real BTC/USDT 1h candles (0:
    untrained; candles through `market_store.loader`) and the inputs come after the split.
    """
    import torch

    from feature_spec import DEFAULT_SPEC, compute_batch
    from market_store.loader import CandleLoader
    from model_engine.datasets import LabelSpec, build_windows
    from model_engine.training import TrainConfig, build_module, fit

    torch.manual_seed(0)
    n_features = len(DEFAULT_SPEC.names)
    config = TrainConfig(
        hidden=HIDDEN,
        layers=LAYERS,
        max_epochs=1,
        batch_size=128,
        max_train_batches=max(train_batches, 1),
        progress=False,
    )
    with CandleLoader.open() as loader:
        bars = loader.load("BTC/USDT", "1h")
    windows = build_windows(bars, compute_batch(DEFAULT_SPEC, bars), LabelSpec(), WINDOW)
    train, held_out = windows.split(int(windows.ts_close_ms[-count - 200]))
    model = fit(config, train, held_out)
    module = model.module if train_batches else build_module(config, WINDOW, n_features).eval()
    return module, model.normaliser.apply(held_out.windows_at(np.arange(count)))


def _time_calls(call: Callable[[int], Any], calls: int) -> npt.NDArray[np.float64]:
    """Return per-call milliseconds of `calls` calls of ``call(i)``."""
    out = np.empty(calls, dtype=np.float64)
    for i in range(calls):
        start = time.perf_counter_ns()
        call(i)
        out[i] = (time.perf_counter_ns() - start) / 1e6
    return out


def run_inference_bench(
    calls: int = 1000, repetitions: int = 3, train_batches: int = 30
) -> dict[str, float]:
    """Measure and return the figures ``ntx bench inference --json`` prints.

    Each repetition times `calls` single-window calls of torch, ONNX fp32 and ONNX int8 in
    turn (interleaved in one process); each p50/p99 is the median over repetitions. int8 is
    onnxruntime's dynamic quantisation of the LSTM weights (the 64x3 head stays fp32);
    ``int8_argmax_agreement`` compares its argmax with fp32's on the same held-out windows.
    """
    import torch
    from onnxruntime.quantization import (  # type: ignore[import-untyped]
        QuantType,
        quantize_dynamic,
    )

    from model_engine.training import export_onnx, ort_session

    torch.set_num_threads(1)
    module, x = _model_and_inputs(calls, train_batches)
    n_features = x.shape[2]
    with tempfile.TemporaryDirectory(prefix="ntx-bench-") as scratch:
        fp32_path, int8_path = Path(scratch) / "model.onnx", Path(scratch) / "int8.onnx"
        export_onnx(module, fp32_path, WINDOW, n_features)
        quantize_dynamic(
            str(fp32_path),
            str(int8_path),
            op_types_to_quantize=["LSTM"],
            weight_type=QuantType.QInt8,
        )
        fp32, int8 = ort_session(fp32_path), ort_session(int8_path)
    tensors = torch.from_numpy(x)
    feeds = [{"x": x[i : i + 1]} for i in range(calls)]
    outputs = ["logits"]

    def torch_call(i: int) -> Any:
        with torch.inference_mode():
            return module(tensors[i : i + 1])

    runs: dict[str, list[npt.NDArray[np.float64]]] = {"torch": [], "onnx": [], "int8": []}
    for _ in range(repetitions):
        runs["torch"].append(_time_calls(torch_call, calls))
        runs["onnx"].append(_time_calls(lambda i: fp32.run(outputs, feeds[i]), calls))
        runs["int8"].append(_time_calls(lambda i: int8.run(outputs, feeds[i]), calls))

    def pct(name: str, q: float) -> float:
        return float(np.median([np.percentile(r, q) for r in runs[name]]))

    batch = np.ascontiguousarray(x[:256])
    batch_ms = np.median(_time_calls(lambda _: fp32.run(outputs, {"x": batch}), 20))
    fp32_argmax = fp32.run(outputs, {"x": x})[0].argmax(axis=1)
    int8_argmax = int8.run(outputs, {"x": x})[0].argmax(axis=1)
    return {
        "onnx_p50_ms": round(pct("onnx", 50), 4),
        "onnx_p99_ms": round(pct("onnx", 99), 4),
        "torch_p50_ms": round(pct("torch", 50), 4),
        "speedup": round(pct("torch", 50) / pct("onnx", 50), 2),
        "batch256_ms": round(float(batch_ms), 3),
        "onnx_int8_p50_ms": round(pct("int8", 50), 4),
        "int8_argmax_agreement": round(float(np.mean(fp32_argmax == int8_argmax)), 4),
    }


__all__ = ["run_inference_bench"]
