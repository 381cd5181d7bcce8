"""Build model_engine's objects from its settings (called from `__main__` only)."""

from __future__ import annotations

from feature_spec import DEFAULT_SPEC
from market_store.paths import candle_db_path
from model_engine.service import ModelEngineService
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.history import StoredHistory
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.serving.worker import SignalWorker
from model_engine.settings import ModelEngineSettings
from model_engine.signals_store import SignalStore
from service_runtime import ServiceMetrics, upstream_client_settings
from signal_bus import BusClient
from signal_schema import topics

INPUT_TOPICS = [topics.MARKET_FEATURES]
"""What model_engine consumes from data_core's bus."""


def build_registry(settings: ModelEngineSettings) -> ModelRegistry:
    """Return the served models found under NTX_HOME, guarded as the settings say."""
    serving = settings.serving
    guard = GuardConfig(
        ood_threshold=serving.ood_threshold,
        drift_threshold=serving.drift_threshold,
        drift_window=serving.drift_window,
        drift_min_signals=serving.drift_min_signals,
        explainer=serving.explainer,
        gate=settings.gate,
    )
    registry = ModelRegistry(guard, DEFAULT_SPEC.names)
    registry.refresh(settings.home, serving.models)
    return registry


def build_service(settings: ModelEngineSettings) -> ModelEngineService:
    """Return model_engine's service: models, signal store, worker and data_core's input."""
    serving = settings.serving
    metrics = ServiceMetrics()
    explain_secs = metrics.histogram(
        "ntx_model_explain_seconds", "Scoring and explaining one batch, per served model"
    )
    registry = build_registry(settings)
    store = SignalStore(settings.home / "data" / serving.store_name)
    history = (
        StoredHistory(candle_db_path(settings.home), DEFAULT_SPEC) if serving.warm_up else None
    )
    engine = InferenceEngine(
        registry, DEFAULT_SPEC.names, utc_now, on_explained=explain_secs.observe, history=history
    )
    worker = SignalWorker(
        engine,
        store,
        linger_secs=serving.batch_linger_ms / 1000,
        home=settings.home,
        reload_secs=serving.reload_secs,
    )
    clients = upstream_client_settings(
        settings.upstream, settings.bus_token, max_frame_bytes=settings.bus.max_frame_bytes
    )
    client = BusClient(clients["data_core"], INPUT_TOPICS, metrics=metrics.bus)
    return ModelEngineService(settings.home, worker, store, client, metrics)
