"""data_core's domain as its host sees it: HTTP routes, status, metrics and its market loop."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter

from data_core import NAME
from data_core.bars_api import bars_router
from data_core.market import MarketData
from data_core.metrics import register_market_metrics
from service_runtime import HeartbeatStatus, ServiceMetrics, Worker, info_router, package_version
from signal_bus import Publisher


class DataCoreService:
    """Market data and news in; bars, gaps, news and feature frames out on its bus.

    Parameters
    ----------
    market
        The market loop (venue, store, pipelines, news).
    metrics
        The service's registry; the market loop's counters are added here.
    """

    name = NAME

    def __init__(self, market: MarketData, metrics: ServiceMetrics) -> None:
        self.market = market
        self.metrics = metrics
        register_market_metrics(metrics, market)
        self.version = package_version()
        self._router = APIRouter()
        self._router.include_router(bars_router(market.store, market.pipelines))
        self._router.include_router(info_router(NAME, self.version))

    def router(self) -> APIRouter:
        """Return data_core's routes: ``GET /api/bars`` and ``GET /api/info``."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``degraded`` until history is loaded and the watches run."""
        return "ok" if self.market.ready.is_set() else "degraded"

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the market loop, which publishes on `bus`."""
        return {"market": self.market.run(bus)}
