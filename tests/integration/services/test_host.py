"""ServiceHost in process: ports it cannot bind and refused upstream tokens stop it with an
OperationalError, after releasing what it had started."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from pydantic import SecretStr

from service_runtime import (
    BusSection,
    HeartbeatSection,
    HeartbeatStatus,
    HttpSection,
    OperationalError,
    ServiceHost,
    ServiceMetrics,
    Worker,
    bus_server_settings,
)
from signal_bus import BusClientSettings, BusServer, BusServerSettings, Publisher
from tests.integration.services.processes import free_port, port_is_free

TOKEN = SecretStr("host-test-token")


class Toy:
    """The smallest service: no routes, always ok."""

    name = "toy"
    version = "0.0.0"

    def __init__(self) -> None:
        self.metrics = ServiceMetrics()

    def router(self) -> APIRouter:
        return APIRouter()

    def status(self) -> HeartbeatStatus:
        return "ok"

    def workers(self, bus: Publisher) -> dict[str, Worker]:
        return {}


def host(
    *, bus_port: int = 0, http_port: int = 0, upstreams: dict[str, BusClientSettings] | None = None
) -> ServiceHost:
    return ServiceHost(
        Toy(),
        bus=bus_server_settings(BusSection(port=bus_port), TOKEN),
        http=HttpSection(port=http_port),
        heartbeat=HeartbeatSection(interval_secs=0.1),
        upstreams=upstreams or {},
        shutdown_timeout_secs=2.0,
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port some other program listens on."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield sock.getsockname()[1]


async def test_bus_port_in_use_is_operational(busy_port: int) -> None:
    with pytest.raises(OperationalError, match=f"bus cannot listen on 127.0.0.1:{busy_port}"):
        await host(bus_port=busy_port).run(asyncio.Event())


async def test_http_port_in_use_is_operational_and_frees_the_bus(busy_port: int) -> None:
    bus_port = free_port()
    toy = host(bus_port=bus_port, http_port=busy_port)
    with pytest.raises(OperationalError, match=f"HTTP API cannot listen on 127.0.0.1:{busy_port}"):
        await toy.run(asyncio.Event())
    assert port_is_free(bus_port)


async def test_refused_upstream_token_stops_the_host() -> None:
    other = BusServerSettings(tokens=(SecretStr("a-different-token"),))
    async with BusServer(other, service="model_engine") as upstream:
        client = BusClientSettings(url=upstream.url, token=TOKEN)
        toy = host(upstreams={"model_engine": client})
        async with asyncio.timeout(10):
            with pytest.raises(OperationalError, match="refused the token"):
                await toy.run(asyncio.Event())
