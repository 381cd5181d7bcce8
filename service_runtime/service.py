"""What a service contributes to its host: identity, HTTP routes, status and metrics."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict

from service_runtime.heartbeat import HeartbeatStatus
from service_runtime.metrics import ServiceMetrics
from signal_bus import Publisher

Worker = Coroutine[Any, Any, None]

DISTRIBUTION = "neurotradex"


class Service(Protocol):
    """One service's domain, as `ServiceHost` sees it."""

    @property
    def name(self) -> str:
        """The service's name (``data_core``), on heartbeats, logs and ``/healthz``."""
        ...

    @property
    def version(self) -> str:
        """The running code's version."""
        ...

    def router(self) -> APIRouter:
        """Return the routes this service adds to its HTTP API."""
        ...

    def status(self) -> HeartbeatStatus:
        """Return ``ok``, ``degraded`` or ``halted`` (before upstreams are considered)."""
        ...

    @property
    def metrics(self) -> ServiceMetrics:
        """The service's own registry (its counters), served on ``/metrics`` with the bus's."""
        ...

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the service's long-running loops by name; the host runs and tracks them."""
        ...


class ServiceInfo(BaseModel):
    """Body of ``GET /api/info``."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    routes: list[str]


def package_version() -> str:
    """Return the installed NeuroTradeX version (``0+unknown`` when not installed)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


def info_router(name: str, service_version: str) -> APIRouter:
    """Return a router serving ``GET /api/info``: name, version and the router's own routes.

    A service adds its routes to the returned router; ``/api/info`` lists them as they are
    when it is asked.
    """
    router = APIRouter(tags=[name])

    @router.get("/api/info")
    async def info() -> ServiceInfo:
        routes = sorted(
            f"{method} {route.path}"
            for route in router.routes
            if isinstance(route, APIRoute)
            for method in sorted(route.methods or ())
        )
        return ServiceInfo(name=name, version=service_version, routes=routes)

    return router
