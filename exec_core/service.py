"""exec_core's domain as its host sees it: HTTP routes, status and health details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from exec_core import NAME
from exec_core.settings import ExecCoreSettings
from service_runtime import HeartbeatStatus, Worker, info_router, package_version
from signal_bus import Publisher


class ExecCoreService:
    """Signals in; risk decisions, approvals and orders out on its bus.

    Parameters
    ----------
    settings
        The service's settings.
    """

    name = NAME

    def __init__(self, settings: ExecCoreSettings) -> None:
        self._settings = settings
        self.version = package_version()
        self._router = info_router(NAME, self.version)

    def router(self) -> APIRouter:
        """Return the routes exec_core adds to its HTTP API (``GET /api/info``)."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``ok``: the skeleton has nothing that can degrade yet."""
        return "ok"

    def health(self) -> dict[str, Any]:
        """Return exec_core's details for ``/healthz``."""
        return {"home": str(self._settings.home)}

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return no loops yet: the skeleton only publishes heartbeats (the host does)."""
        return {}
