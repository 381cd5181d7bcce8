"""Pipeline bench: in-memory buses around model_engine's worker; real feature rows."""

from __future__ import annotations

import asyncio
import gc
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from feature_spec import DEFAULT_SPEC
from market_store.paths import ntx_home
from signal_bus import InMemoryBus
from signal_schema import Envelope, FeatureFrame, Signal, topics

BARS = 12


def _frame(symbol: str, ts: datetime, row: np.ndarray) -> FeatureFrame:
    return FeatureFrame(
        ts_event=ts,
        ts_init=ts,
        venue="binance",
        symbol=symbol,
        timeframe="1h",
        spec_version=DEFAULT_SPEC.version,
        close=Decimal("100.0"),
        names=DEFAULT_SPEC.names,
        values=tuple(float(v) for v in row),
        warm=True,
    )


async def _one(symbols: int, rows: np.ndarray, folder: Path, db: Path) -> list[float]:
    from model_engine.serving.bundle import load_bundle
    from model_engine.serving.engine import InferenceEngine, utc_now
    from model_engine.serving.models import GuardConfig, ModelRegistry
    from model_engine.serving.worker import SignalWorker
    from model_engine.signals_store import SignalStore

    registry = ModelRegistry(GuardConfig(), DEFAULT_SPEC.names)
    registry.swap(load_bundle(folder, DEFAULT_SPEC.names))
    window = registry.max_window
    worker = SignalWorker(
        InferenceEngine(registry, DEFAULT_SPEC.names, utc_now), SignalStore(db), linger_secs=0.5
    )
    bus_in, bus_out = InMemoryBus(queue_size=100_000), InMemoryBus(queue_size=100_000)
    source, sink = (
        bus_in.subscribe([topics.MARKET_FEATURES]),
        bus_out.subscribe([topics.SIGNAL_EMITTED]),
    )
    names = [f"S{i}/USDT" for i in range(symbols)]
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    for bar in range(window - 1):  # fill the windows outside the timing
        ts = t0 + timedelta(hours=bar)
        worker.engine.score(
            [_frame(n, ts, rows[(bar + 7 * i) % len(rows)]) for i, n in enumerate(names)]
        )
    gc.collect()
    gc.freeze()  # as the service does after loading: setup objects leave the collector's scans
    task = asyncio.create_task(worker.run(source.messages(), bus_out))
    latencies: list[float] = []
    received = sink.messages()
    for bar in range(window - 1, window + BARS):  # the first bar warms the sessions, untimed
        ts = t0 + timedelta(hours=bar)
        frames = [
            Envelope.of(_frame(n, ts, rows[(bar + 7 * i) % len(rows)])) for i, n in enumerate(names)
        ]
        sent: dict[str, float] = {}
        for name, envelope in zip(names, frames, strict=True):
            sent[name] = time.perf_counter()
            bus_in.publish_nowait(envelope)
        for _ in range(symbols):
            envelope = await anext(received)
            message = envelope.message
            if not isinstance(message, Signal):
                continue
            if bar >= window:
                latencies.append((time.perf_counter() - sent[message.symbol]) * 1e3)
    task.cancel()
    return latencies


def run_pipeline_bench(counts: tuple[int, ...] = (1, 50, 500)) -> dict[str, Any]:
    """Return p50/p99 ms per symbol count, from a frame entering the bus to its signal leaving."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from model_engine.explain.audit import ensure_artifact
    from model_engine.explain.realdata import load_features

    folder = ensure_artifact(ntx_home())
    _, feats = load_features("BTC")
    rows = feats[-5_000:]
    out: dict[str, Any] = {"symbols": {}, "bars_timed": BARS}
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts:
            lat = asyncio.run(_one(n, rows, folder, Path(tmp) / f"s{n}.sqlite"))
            out["symbols"][str(n)] = {
                "p50_ms": float(np.percentile(lat, 50)),
                "p99_ms": float(np.percentile(lat, 99)),
            }
    return out
