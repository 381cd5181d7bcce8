"""A small real platform: echo HTTP services, real bus servers, and the gateway in front."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from neurotradex.gateway import ApiTokens, GatewaySettings, ServiceName
from signal_bus import BusServer, BusServerSettings
from tests.integration.gateway.servers import (
    RunningGateway,
    echo_service,
    refused_port,
    running_gateway,
    serving,
)

READ = "read-token-for-tests"
OPERATOR = "operator-token-for-tests"
BUS = "bus-token-for-tests"
TOKENS = ApiTokens(SecretStr(READ), SecretStr(OPERATOR))
LIVE: tuple[ServiceName, ...] = ("model_engine", "exec_core")
DOWN: tuple[ServiceName, ...] = ("data_core", "alert_system")


def bearer(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


def bus_server(service: str, port: int = 0) -> BusServer:
    """A real bus server accepting the test bus token."""
    return BusServer(BusServerSettings(tokens=(SecretStr(BUS),), port=port), service=service)


def gateway_settings(
    home: Path, http_urls: Mapping[str, str], bus_urls: Mapping[str, str]
) -> GatewaySettings:
    """Gateway settings pointing at the given upstreams, with short timeouts and backoff."""
    upstream: dict[str, object] = {"timeout_secs": 5.0, "health_timeout_secs": 2.0}
    upstream.update({f"{name}_http_url": url for name, url in http_urls.items()})
    upstream.update({f"{name}_url": url for name, url in bus_urls.items()})
    return GatewaySettings.model_validate(
        {
            "home": home,
            "read_token": READ,
            "operator_token": OPERATOR,
            "bus_token": BUS,
            "upstream": upstream,
            "relay": {"backoff_initial_secs": 0.01, "backoff_max_secs": 0.2},
        }
    )


@dataclass(frozen=True)
class Platform:
    """The gateway, with the live services' bus servers."""

    gateway: RunningGateway
    buses: Mapping[str, BusServer]


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    """model_engine and exec_core up (echo HTTP + bus); data_core and alert_system down."""
    async with contextlib.AsyncExitStack() as stack:
        http_urls: dict[str, str] = {}
        bus_urls: dict[str, str] = {}
        buses: dict[str, BusServer] = {}
        for name in LIVE:
            http_urls[name] = await stack.enter_async_context(serving(echo_service(name)))
            buses[name] = await stack.enter_async_context(bus_server(name))
            bus_urls[name] = buses[name].url
        for name in DOWN:
            http_urls[name] = f"http://127.0.0.1:{stack.enter_context(refused_port())}"
            bus_urls[name] = f"ws://127.0.0.1:{stack.enter_context(refused_port())}/ws"
        settings = gateway_settings(tmp_path, http_urls, bus_urls)
        gateway = await stack.enter_async_context(running_gateway(settings, TOKENS))
        for name in LIVE:
            await gateway.relay.clients[name].wait_connected()
        yield Platform(gateway, buses)


@pytest.fixture
async def http(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    """A real HTTP client pointed at the gateway."""
    async with httpx.AsyncClient(
        base_url=platform.gateway.url, trust_env=False, timeout=10.0
    ) as client:
        yield client
