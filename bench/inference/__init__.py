"""`ntx bench inference`: one-window latency of the LSTM in onnxruntime (fp32, int8) vs torch."""

from bench.inference.run import run_inference_bench

__all__ = ["run_inference_bench"]
