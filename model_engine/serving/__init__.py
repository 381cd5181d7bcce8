"""Live inference: ONNX sessions, rolling windows, batched scoring and explained signals."""
