"""`run_features_bench`: per-bar latency of feature frames over many streams, and batch speed."""

from __future__ import annotations

import gc
import platform
import time

import numpy as np

from bench.features.data import (
    StreamSlice,
    load_pairs,
    make_slices,
)
from data_core.features import FeatureStream
from feature_spec import DEFAULT_SPEC, FeatureSpec, Ohlcv, StreamingFeatures, compute_batch

CORE_STREAMS = 50
"""Streams in the second, smaller pass that times `StreamingFeatures.update` alone."""
BASELINE_STREAMS = 5
"""Streams in the baseline pass (recompute the batch over the window for every bar)."""


def _percentiles_us(samples_ns: list[int]) -> tuple[float, float]:
    p50, p99 = np.percentile(np.asarray(samples_ns, dtype=np.float64), [50, 99]) / 1000.0
    return round(float(p50), 2), round(float(p99), 2)


def _frame_latencies(spec: FeatureSpec, slices: list[StreamSlice]) -> tuple[list[int], float]:
    """Warm every stream up, then feed one bar to each stream in turn; time each update."""
    begin = time.perf_counter()
    streams = []
    for part in slices:
        stream = FeatureStream(spec, part.key)
        stream.warm_up(part.history())
        streams.append(stream)
    warmup_s = time.perf_counter() - begin
    latencies: list[int] = []
    clock = time.perf_counter_ns
    for step in range(slices[0].updates):
        candles = [part.candle(step) for part in slices]
        for stream, candle in zip(streams, candles, strict=True):
            start = clock()
            frame = stream.on_candle(candle)
            latencies.append(clock() - start)
            if not frame.warm:
                raise RuntimeError(f"{stream.key}: frame not warm at update {step}")
    return latencies, warmup_s


def _core_latencies(spec: FeatureSpec, slices: list[StreamSlice]) -> list[int]:
    """Time `StreamingFeatures.update` alone (floats in, array out) on a few streams."""
    latencies: list[int] = []
    clock = time.perf_counter_ns
    for part in slices:
        features = StreamingFeatures(spec)
        features.warm_up(part.history())
        first = part.start + part.warmup
        rows = zip(
            part.bars.ts_open_ms[first : first + part.updates].tolist(),
            part.bars.open[first : first + part.updates].tolist(),
            part.bars.high[first : first + part.updates].tolist(),
            part.bars.low[first : first + part.updates].tolist(),
            part.bars.close[first : first + part.updates].tolist(),
            part.bars.volume[first : first + part.updates].tolist(),
            strict=True,
        )
        for ts, o, h, lo, c, v in rows:
            start = clock()
            features.update(ts, o, h, lo, c, v)
            latencies.append(clock() - start)
    return latencies


def _recompute_latencies(spec: FeatureSpec, slices: list[StreamSlice]) -> list[int]:
    """Baseline: recompute `compute_batch` over the stream's warm-up window for every new bar."""
    latencies: list[int] = []
    clock = time.perf_counter_ns
    for part in slices:
        for step in range(1, part.updates + 1):
            start = clock()
            first = part.start + step
            compute_batch(spec, part.bars.window(first, first + part.warmup))
            latencies.append(clock() - start)
    return latencies


def _batch_rows_per_s(spec: FeatureSpec, series: dict[str, Ohlcv]) -> tuple[float, int]:
    rows = sum(len(bars) for bars in series.values())
    start = time.perf_counter()
    for bars in series.values():
        compute_batch(spec, bars)
    return rows / (time.perf_counter() - start), rows


def run_features_bench(
    streams: int = 500,
    *,
    updates_per_stream: int = 200,
    spec: FeatureSpec = DEFAULT_SPEC,
) -> dict[str, object]:
    """Measure feature computation on real 5m candles of the seven shared pairs.

    Each of `streams` streams is a time-shifted slice of one pair: it warms up on
    ``2 * spec.warmup_bars`` bars, then takes `updates_per_stream` bars, one stream after the
    other as bars would arrive. An update is timed from the `Candle` being handed to
    `FeatureStream.on_candle` to its validated `FeatureFrame` (whole spec, news columns
    included). Two more passes time `StreamingFeatures.update` alone and, as the baseline,
    `compute_batch` over the stream's window redone for every bar. Batch speed is
    `compute_batch` over each pair's whole file.

    Parameters
    ----------
    streams
        Number of concurrent streams.
    updates_per_stream
        Bars fed to each stream after its warm-up.
    spec
        The feature spec to run.

    Returns
    -------
    dict
        ``streams``, ``update_us_p50``, ``update_us_p99``, ``batch_rows_per_s`` and details.
    """
    begin = time.perf_counter()
    series = load_pairs()
    slices = make_slices(series, streams, 2 * spec.warmup_bars, updates_per_stream)
    gc.collect()
    gc.freeze()
    try:
        frame_ns, warmup_s = _frame_latencies(spec, slices)
        core_ns = _core_latencies(spec, slices[:CORE_STREAMS])
        baseline_ns = _recompute_latencies(spec, slices[:BASELINE_STREAMS])
    finally:
        gc.unfreeze()
    batch_rate, batch_rows = _batch_rows_per_s(spec, series)
    p50, p99 = _percentiles_us(frame_ns)
    core_p50, core_p99 = _percentiles_us(core_ns)
    baseline_p50, _ = _percentiles_us(baseline_ns)
    return {
        "streams": streams,
        "update_us_p50": p50,
        "update_us_p99": p99,
        "batch_rows_per_s": round(batch_rate),
        "updates": len(frame_ns),
        "features": len(spec.names),
        "spec_version": spec.version,
        "features_only_us_p50": core_p50,
        "features_only_us_p99": core_p99,
        "baseline_recompute_us_p50": baseline_p50,
        "speedup_vs_recompute": round(baseline_p50 / p50, 1),
        "warmup_s": round(warmup_s, 2),
        "warmup_bars_per_stream": 2 * spec.warmup_bars,
        "batch_rows": batch_rows,
        "elapsed_s": round(time.perf_counter() - begin, 2),
        "python": platform.python_version(),
    }


__all__ = ["run_features_bench"]
