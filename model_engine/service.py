"""model_engine's domain as its host sees it: HTTP routes, status, metrics and its signal loop."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from fastapi import APIRouter

from model_engine import NAME
from model_engine.api import signals_router
from model_engine.serving.worker import SignalWorker
from model_engine.signals_store import SignalStore
from service_runtime import HeartbeatStatus, ServiceMetrics, Worker, info_router, package_version
from signal_bus import BusClient, Publisher

log = logging.getLogger(__name__)


class ModelEngineService:
    """Features in; explained signals out on its bus.

    Parameters
    ----------
    home
        NTX_HOME (models and stored signals).
    worker
        The signal loop (its engine's registry serves the models).
    store
        Where the worker keeps signals (served on ``/api/signals``).
    client
        data_core's bus, subscribed to ``market.features``.
    metrics
        The service's registry; signals, breaches and the frame backlog are added here.
    """

    name = NAME

    def __init__(
        self,
        home: Path,
        worker: SignalWorker,
        store: SignalStore,
        client: BusClient,
        metrics: ServiceMetrics,
    ) -> None:
        self.version = package_version()
        self.worker = worker
        self.registry = worker.engine.registry
        self.store = store
        self.client = client
        self.metrics = metrics
        self._router = info_router(NAME, self.version)
        self._router.include_router(signals_router(self.store, self.registry, home))
        self._register_metrics()

    def _register_metrics(self) -> None:
        worker, add = self.worker, self.metrics.sampled
        add("counter", "ntx_model_signals", "Signals published", lambda: {(): worker.published})
        add("counter", "ntx_model_persisted", "Signals stored", lambda: {(): worker.persisted})
        add("counter", "ntx_model_breaches", "Drift breaches", lambda: {(): worker.breaches})
        add("gauge", "ntx_model_frames_queued", "Frames waiting", lambda: {(): worker.queued})
        windows, engine = worker.engine.windows, worker.engine
        add(
            "counter",
            "ntx_model_frames_stale",
            "Frames dropped: their bar is not after their window's last bar",
            lambda: {(): windows.stale},
        )
        add(
            "counter",
            "ntx_model_warmup_rows",
            "Window rows warmed from stored candles instead of live frames",
            lambda: {(): engine.warmed_rows},
        )
        add("gauge", "ntx_model_served", "Models served", lambda: {(): len(self.registry.models)})

    def router(self) -> APIRouter:
        """Return ``/api/info``, ``/api/signals[/{id}[/explanation]]`` and ``/api/models``."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``degraded`` while no model is served."""
        return "ok" if self.registry.models else "degraded"

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the signal loop: data_core's ``market.features`` in, signals out on `bus`."""
        return {
            "signals": self.worker.run(self.client.messages(), bus),
            "subscriptions": self._announce_subscriptions(),
        }

    async def _announce_subscriptions(self) -> None:
        """Log each (re)subscription to data_core (what process tests wait for)."""
        count = 0
        while True:
            count += 1
            await self.client.wait_connected(count)
            log.info(
                "subscribed to data_core",
                extra={"event": "input_subscribed", "upstream": "data_core"},
            )
