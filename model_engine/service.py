"""model_engine's domain as its host sees it: HTTP routes, status, health and its signal loop."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from feature_spec import DEFAULT_SPEC
from model_engine import NAME
from model_engine.api import signals_router
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.serving.worker import SignalWorker
from model_engine.settings import ModelEngineSettings
from model_engine.signals_store import SignalStore
from service_runtime import HeartbeatStatus, Worker, info_router, package_version
from service_runtime.sections import upstream_client_settings
from signal_bus import BusClient, Publisher
from signal_schema import topics


class ModelEngineService:
    """Features in; explained signals out on its bus.

    Parameters
    ----------
    settings
        The service's settings.
    """

    name = NAME

    def __init__(self, settings: ModelEngineSettings) -> None:
        self._settings = settings
        serving = settings.serving
        self.version = package_version()
        guard = GuardConfig(
            ood_threshold=serving.ood_threshold,
            drift_threshold=serving.drift_threshold,
            drift_window=serving.drift_window,
            drift_min_signals=serving.drift_min_signals,
            explainer=serving.explainer,
            gate=settings.gate,
        )
        self.registry = ModelRegistry(guard, DEFAULT_SPEC.names)
        self.registry.refresh(settings.home, serving.models)
        self.store = SignalStore(settings.home / "data" / serving.store_name)
        self.worker = SignalWorker(
            InferenceEngine(self.registry, DEFAULT_SPEC.names, utc_now),
            self.store,
            linger_secs=serving.batch_linger_ms / 1000,
            home=settings.home,
            reload_secs=serving.reload_secs,
        )
        self.client: BusClient | None = None
        self._router = info_router(NAME, self.version)
        self._router.include_router(signals_router(self.store, self.registry, settings.home))

    def router(self) -> APIRouter:
        """Return ``/api/info``, ``/api/signals[/{id}[/explanation]]`` and ``/api/models``."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``degraded`` while no model is served."""
        return "ok" if self.registry.models else "degraded"

    def health(self) -> dict[str, Any]:
        """Return the served models and counters for ``/healthz``."""
        return {
            "home": str(self._settings.home),
            "models": {n: m.bundle.version for n, m in self.registry.models.items()},
            "published": self.worker.published,
            "breaches": self.worker.breaches,
        }

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the signal loop: data_core's ``market.features`` in, signals out on `bus`."""
        clients = upstream_client_settings(
            self._settings.upstream,
            self._settings.bus_token,
            max_frame_bytes=self._settings.bus.max_frame_bytes,
        )
        client = BusClient(clients["data_core"], [topics.MARKET_FEATURES])
        self.client = client
        return {"signals": self.worker.run(client.messages(), bus)}
