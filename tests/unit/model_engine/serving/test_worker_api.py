"""The live loop over in-memory buses, and the HTTP routes over the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
from fastapi import FastAPI
from fastapi.testclient import TestClient

from feature_spec import DEFAULT_SPEC
from model_engine.api import signals_router
from model_engine.serving.bundle import load_bundle
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.serving.worker import SignalWorker
from model_engine.signals_store import SignalStore
from signal_bus import InMemoryBus
from signal_schema import Envelope, Signal, topics
from tests.unit.model_engine.serving.conftest import frame

SYMBOLS = [f"S{i}/USDT" for i in range(6)]


def _registry(artifact: Path) -> ModelRegistry:
    registry = ModelRegistry(GuardConfig(), DEFAULT_SPEC.names)
    registry.swap(load_bundle(artifact, DEFAULT_SPEC.names))
    return registry


async def test_worker_publishes_one_signal_per_stream_and_bar(
    artifact: Path, rows: np.ndarray
) -> None:
    registry = _registry(artifact)
    store = SignalStore(":memory:")
    worker = SignalWorker(
        InferenceEngine(registry, DEFAULT_SPEC.names, utc_now), store, linger_secs=5.0
    )
    bus_in, bus_out = InMemoryBus(), InMemoryBus()
    source = bus_in.subscribe([topics.MARKET_FEATURES])
    sink = bus_out.subscribe([topics.SIGNAL_EMITTED]).messages()
    task = asyncio.create_task(worker.run(source.messages(), bus_out))
    bars = registry.max_window + 1
    for bar in range(bars):
        for i, symbol in enumerate(SYMBOLS):
            await bus_in.publish(Envelope.of(frame(symbol, bar, rows[bar + i])))
    got = [(await asyncio.wait_for(anext(sink), 30)).message for _ in range(2 * len(SYMBOLS))]
    task.cancel()
    signals = [s for s in got if isinstance(s, Signal)]
    assert len(signals) == len(got)
    assert sorted(s.symbol for s in signals) == sorted(SYMBOLS * 2)
    assert len({s.ts_event for s in signals}) == 2
    assert worker.published == 12


def test_routes_serve_signals_and_explanations(
    artifact: Path, rows: np.ndarray, tmp_path: Path
) -> None:
    registry = _registry(artifact)
    engine = InferenceEngine(registry, DEFAULT_SPEC.names, utc_now)
    store = SignalStore(":memory:")
    for bar in range(registry.max_window):
        scored = engine.score([frame("BTC/USDT", bar, rows[bar])])
    store.add(scored.signals, np.stack(scored.windows), scored.raw_gaps)
    app = FastAPI()
    app.include_router(signals_router(store, registry, tmp_path))
    client = TestClient(app)
    signal_id = scored.signals[0].signal_id
    assert (
        client.get("/api/signals", params={"symbol": "BTC/USDT"}).json()[0]["signal_id"]
        == signal_id
    )
    assert client.get(f"/api/signals/{signal_id}").json()["symbol"] == "BTC/USDT"
    shap = client.get(f"/api/signals/{signal_id}/explanation").json()
    assert shap["method"].startswith("fastshap")
    assert shap["additivity_error"] < 1e-6
    lime = client.get(f"/api/signals/{signal_id}/explanation", params={"method": "lime"}).json()
    assert lime["method"] == "lime-feature-masks"
    assert lime["additivity_error"] is None
    assert len(lime["attributions"]) == 37
    assert client.get("/api/signals/nope").status_code == 404
    assert client.get(f"/api/signals/{signal_id}/explanation?method=x").status_code == 422
    assert client.get("/api/models").json()[0]["name"] == "lstm-small"
