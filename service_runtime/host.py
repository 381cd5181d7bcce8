"""Run one service: its bus server, its HTTP API, its heartbeat and its upstream watches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any
from uuid import uuid4

from pydantic import SecretStr

import signal_bus
from service_runtime.bus_log import BusLogHandler
from service_runtime.errors import OperationalError
from service_runtime.heartbeat import Clock, HeartbeatPublisher, HeartbeatStatus, utc_now
from service_runtime.http_api import HttpApi, build_app
from service_runtime.sections import (
    HeartbeatSection,
    HttpSection,
    bus_server_settings,
    upstream_client_settings,
)
from service_runtime.service import Service
from service_runtime.settings import ServiceSettings
from service_runtime.tasks import BackgroundTasks
from service_runtime.upstreams import UpstreamWatch
from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_bus.server import CommandHandler
from signal_schema import topics

log = logging.getLogger(__name__)


class ServiceHost:
    """Host `service` on a bus port and an HTTP port until told to stop.

    Parameters
    ----------
    service
        The domain: name, routes, status and its metrics registry.
    bus
        The bus server's settings (``/ws``, ``/healthz``, ``/metrics``).
    http
        Where the HTTP API listens (``/healthz``, ``/metrics`` and the service's routes).
    heartbeat
        How often to publish ``Heartbeat``.
    upstreams
        One bus client's settings per upstream whose heartbeats ``/healthz`` reports.
    shutdown_timeout_secs
        Longest wait for each component to stop before it is cancelled.
    clock
        Wall clock (UTC), injected for tests.
    http_tokens
        Bearer tokens the HTTP API accepts on every route but ``/healthz`` and ``/metrics``
        (default: the bus's tokens).
    """

    def __init__(
        self,
        service: Service,
        *,
        bus: BusServerSettings,
        http: HttpSection,
        heartbeat: HeartbeatSection,
        upstreams: Mapping[str, BusClientSettings],
        on_command: CommandHandler | None = None,
        shutdown_timeout_secs: float = 5.0,
        clock: Clock = utc_now,
        http_tokens: tuple[SecretStr, ...] | None = None,
    ) -> None:
        self.service = service
        self.instance_id = f"{service.name}-{uuid4().hex[:12]}"
        self.started_at = clock()
        self.bus = BusServer(
            bus,
            service=service.name,
            metrics=service.metrics.bus,
            health=self._health_details,
            on_command=on_command,
        )
        self.upstreams = {
            name: UpstreamWatch(
                name, BusClient(client, [topics.SYSTEM_HEARTBEAT], metrics=self.bus.metrics)
            )
            for name, client in upstreams.items()
        }
        self.heartbeat = HeartbeatPublisher(
            self.bus,
            service=service.name,
            instance_id=self.instance_id,
            started_at=self.started_at,
            interval_secs=heartbeat.interval_secs,
            status=self.status,
            clock=clock,
        )
        app = build_app(
            service.name,
            service.version,
            service.router(),
            self.bus.health,
            service.metrics,
            tokens=bus.tokens if http_tokens is None else http_tokens,
        )
        self.http = HttpApi(app, http, shutdown_timeout_secs=shutdown_timeout_secs)
        self._timeout = shutdown_timeout_secs
        self._servers = BackgroundTasks()
        self._workers = BackgroundTasks()

    @classmethod
    def from_settings(
        cls,
        service: Service,
        settings: ServiceSettings,
        *,
        accept_topics: tuple[str, ...] = (),
        on_command: CommandHandler | None = None,
    ) -> ServiceHost:
        """Host `service` as its `settings` say, the bus token guarding every bus.

        Parameters
        ----------
        service
            The domain to host.
        settings
            The service's settings (sections ``bus``, ``http``, ``heartbeat``, ``upstream``).
        accept_topics
            Command topics consumers may publish to this service's bus.
        on_command
            Receives each valid envelope published on one of `accept_topics`.
        """
        token = settings.bus_token
        readers = (token,) if settings.read_token is None else (token, settings.read_token)
        return cls(
            service,
            bus=bus_server_settings(settings.bus, token, accept_topics=accept_topics),
            http=settings.http,
            heartbeat=settings.heartbeat,
            upstreams=upstream_client_settings(
                settings.upstream, token, max_frame_bytes=settings.bus.max_frame_bytes
            ),
            on_command=on_command,
            http_tokens=readers,
        )

    def status(self) -> HeartbeatStatus:
        """Return the service's status, ``degraded`` while an upstream is disconnected."""
        status = self.service.status()
        if status == "ok" and not all(w.connected for w in self.upstreams.values()):
            return "degraded"
        return status

    async def run(self, stop: asyncio.Event) -> None:
        """Start everything, wait for `stop` (or a failed task), then stop in reverse order.

        Raises
        ------
        OperationalError
            A port could not be bound, or a task failed with an operational error.
        RuntimeError
            A background task failed otherwise (it has been logged with its traceback).
        """
        async with contextlib.AsyncExitStack() as stack:
            await self._start_bus()
            stack.push_async_callback(self.bus.stop)
            stack.enter_context(_relayed_logs(self.bus, self.service.name))
            self.http.start(self._servers)
            stack.push_async_callback(self._servers.cancel_all, self._timeout)
            stack.push_async_callback(self.http.stop)
            stack.push_async_callback(self._workers.cancel_all, self._timeout)
            self._workers.spawn(self.heartbeat.run(), name="heartbeat")
            for name, watch in self.upstreams.items():
                self._workers.spawn(watch.run(), name=f"upstream-{name}")
            for name, worker in self.service.workers(self.bus).items():
                self._workers.spawn(worker, name=f"{self.service.name}-{name}")
            self._log_started()
            await _first_set(stop, self._workers.failed, self._servers.failed)
            log.info("%s stopping", self.service.name, extra={"event": "stopping"})
        log.info("%s stopped", self.service.name, extra={"event": "stopped"})
        self._raise_failure()

    async def _start_bus(self) -> None:
        settings = self.bus.settings
        try:
            await self.bus.start()
        except OSError as exc:
            where = f"{settings.host}:{settings.port}"
            raise OperationalError(f"bus cannot listen on {where}: {exc.strerror}") from exc

    def _log_started(self) -> None:
        log.info(
            "%s started: bus %s, HTTP %s",
            self.service.name,
            self.bus.url,
            self.http.url,
            extra={
                "event": "started",
                "instance_id": self.instance_id,
                "version": self.service.version,
                "bus_url": self.bus.url,
                "bus_port": self.bus.port,
                "http_url": self.http.url,
                "http_port": self.http.port,
            },
        )

    def _raise_failure(self) -> None:
        failure = self._workers.failure or self._servers.failure
        if failure is None:
            return
        if isinstance(failure, OperationalError):
            raise failure
        if isinstance(failure, signal_bus.OperationalError):
            raise OperationalError(str(failure)) from failure
        raise RuntimeError(f"background task failed: {failure!r}") from failure

    def _health_details(self) -> dict[str, Any]:
        return {
            "status": self.status(),
            "instance_id": self.instance_id,
            "version": self.service.version,
            "started_at": self.started_at.isoformat(),
            "upstreams": {name: w.health() for name, w in self.upstreams.items()},
        }


@contextlib.contextmanager
def _relayed_logs(bus: BusServer, service: str) -> Iterator[None]:
    """Relay the process's log records on `bus` while the host runs."""
    handler = BusLogHandler(bus, service)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


async def _first_set(*events: asyncio.Event) -> None:
    """Return as soon as one of `events` is set."""
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
