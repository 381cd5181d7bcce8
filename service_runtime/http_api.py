"""The service's HTTP API: a FastAPI app served by an in-process uvicorn server.

The socket is bound here, not by uvicorn, so a port in use is an `OperationalError` raised
at start (uvicorn would call ``sys.exit`` inside a task) and port 0 reports the real port.
Every route but ``/healthz`` and ``/metrics`` (probes and Prometheus) requires
``Authorization: Bearer`` with one of the service's HTTP tokens (``NTX_BUS_TOKEN``, which the
gateway presents, or ``NTX_READ_TOKEN`` when set): compose and Helm bind these ports on a
network.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import socket
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import SecretStr

from service_runtime.errors import OperationalError
from service_runtime.metrics import METRICS_CONTENT_TYPE, ServiceMetrics
from service_runtime.sections import HttpSection
from service_runtime.tasks import BackgroundTasks

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/healthz", "/metrics"})
"""Routes answered without a token: liveness and readiness probes, and Prometheus."""


class SignalFreeServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the hosting process owns SIGTERM and SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def build_app(
    title: str,
    version: str,
    router: APIRouter,
    health: Callable[[], Mapping[str, Any]],
    metrics: ServiceMetrics,
    tokens: Iterable[SecretStr] = (),
) -> FastAPI:
    """Return the app: ``GET /healthz``, ``GET /metrics`` and `router`'s routes.

    ``/healthz`` answers `health()`; ``/metrics`` the Prometheus text of `metrics`. Every
    other path (the service's routes, its OpenAPI document) answers 401 unless the request
    presents one of `tokens` as a bearer token (none given: nothing but the open paths).
    """
    app = FastAPI(title=title, version=version)
    accepted = tuple(t.get_secret_value().encode() for t in tokens if t.get_secret_value())

    @app.middleware("http")
    async def require_token(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in OPEN_PATHS or _presents(request, accepted):
            return await call_next(request)
        return JSONResponse(
            {"detail": "a bearer token is required (NTX_BUS_TOKEN or NTX_READ_TOKEN)"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse(dict(health()))

    @app.get("/metrics", include_in_schema=False)
    async def prometheus() -> Response:
        return Response(metrics.render(), media_type=METRICS_CONTENT_TYPE)

    app.include_router(router)
    return app


def _presents(request: Request, accepted: tuple[bytes, ...]) -> bool:
    """Tell whether `request` carries exactly one bearer token and it is one of `accepted`."""
    given = request.headers.getlist("authorization")
    if len(given) != 1:
        return False
    scheme, _, token = given[0].partition(" ")
    presented = token.strip().encode()
    if scheme.lower() != "bearer" or not presented:
        return False
    return any(hmac.compare_digest(presented, known) for known in accepted)


class HttpApi:
    """Serve `app` on the section's host and port until stopped.

    Parameters
    ----------
    app
        The ASGI app.
    section
        Host and port (0 picks a free port).
    shutdown_timeout_secs
        Longest wait for open requests when stopping.
    """

    def __init__(self, app: FastAPI, section: HttpSection, *, shutdown_timeout_secs: float) -> None:
        self.app = app
        self.section = section
        self._timeout = shutdown_timeout_secs
        config = uvicorn.Config(
            app,
            host=section.host,
            port=section.port,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            server_header=False,
            timeout_graceful_shutdown=max(1, round(shutdown_timeout_secs)),
        )
        self._server = SignalFreeServer(config)
        self._socket: socket.socket | None = None
        self._task: asyncio.Task[object] | None = None

    @property
    def port(self) -> int:
        """The bound port."""
        if self._socket is None:
            raise RuntimeError("HTTP API not started")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """Where the API answers."""
        return f"http://{self.section.host}:{self.port}"

    def start(self, tasks: BackgroundTasks) -> None:
        """Bind the port and serve in a task tracked by `tasks`.

        Raises
        ------
        OperationalError
            The port cannot be bound (in use, not permitted, unknown host).
        """
        host, port = self.section.host, self.section.port
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            self._socket = socket.create_server((host, port), family=family, backlog=2048)
        except OSError as exc:
            where = f"{host}:{port}"
            raise OperationalError(f"HTTP API cannot listen on {where}: {exc.strerror}") from exc
        self._task = tasks.spawn(self._server.serve(sockets=[self._socket]), name="http")

    async def stop(self) -> None:
        """Stop accepting, let open requests finish (bounded), and release the port."""
        self._server.should_exit = True
        if self._task is not None:
            _, pending = await asyncio.wait([self._task], timeout=self._timeout)
            if pending:
                log.warning("HTTP API did not stop within %.1f s; cancelling", self._timeout)
                self._server.force_exit = True
                self._task.cancel()
        if self._socket is not None:
            self._socket.close()
