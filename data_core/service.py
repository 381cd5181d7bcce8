"""data_core's domain as its host sees it: HTTP routes, status, health and its market loop."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from data_core import NAME
from data_core.bars_api import bars_router
from data_core.market import MarketData
from service_runtime import HeartbeatStatus, Worker, info_router, package_version
from signal_bus import Publisher


class DataCoreService:
    """Market data and news in; bars, gaps, news and feature frames out on its bus.

    Parameters
    ----------
    market
        The market loop (venue, store, pipelines, news).
    """

    name = NAME

    def __init__(self, market: MarketData) -> None:
        self.market = market
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

    def health(self) -> dict[str, Any]:
        """Return the market loop's counters for ``/healthz``."""
        return self.market.health()

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the market loop, which publishes on `bus`."""
        return {"market": self.market.run(bus)}
