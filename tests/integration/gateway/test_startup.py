"""The gateway starts with no service up, and its relay connects once a bus appears."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from neurotradex.gateway import GatewaySettings, OperationalError, serve_gateway
from service_runtime import HttpSection
from signal_bus.codec import BAD_CONTROL
from signal_bus.control import subscribe_frame
from signal_schema import Envelope
from tests.integration.gateway.conftest import READ, TOKENS, bus_server, gateway_settings
from tests.integration.gateway.servers import (
    listening_socket,
    port_of,
    refused_port,
    running_gateway,
)
from tests.integration.services.processes import metric_value
from tests.schema_factories import heartbeat, rebuild

SERVICES = ("data_core", "model_engine", "exec_core", "alert_system")


async def test_gateway_serves_before_any_service_and_relays_once_one_starts(
    tmp_path: Path,
) -> None:
    with contextlib.ExitStack() as ports:
        http_ports = {name: ports.enter_context(refused_port()) for name in SERVICES}
        http_urls = {name: f"http://127.0.0.1:{port}" for name, port in http_ports.items()}
        bus_ports = {name: ports.enter_context(refused_port()) for name in SERVICES}
        bus_urls = {name: f"ws://127.0.0.1:{port}/ws" for name, port in bus_ports.items()}
        settings = gateway_settings(tmp_path, http_urls, bus_urls)
        async with (
            asyncio.timeout(20),
            running_gateway(settings, TOKENS) as gateway,
            httpx.AsyncClient(base_url=gateway.url, trust_env=False) as http,
        ):
            exec_core = gateway.relay.clients["exec_core"]
            await exec_core.wait_until(lambda: exec_core.failures >= 2)
            health = (await http.get("/api/health")).json()
            assert health["status"] == "degraded"
            assert {body["status"] for body in health["services"].values()} == {"down"}
            assert set(health["relay"]["upstreams"].values()) == {False}

            ports.close()  # free the reserved ports; exec_core's bus now starts on its own
            async with bus_server("exec_core", port=bus_ports["exec_core"]) as bus:
                await exec_core.wait_connected()
                health = (await http.get("/api/health")).json()
                assert health["relay"]["upstreams"]["exec_core"] is True
                async with connect(gateway.ws_url) as ws:
                    await ws.send(subscribe_frame(("system.*",), token=READ))
                    assert orjson.loads(await ws.recv())["op"] == "subscribed"
                    beat = Envelope.of(rebuild(heartbeat(), seq=7))
                    bus.publish_nowait(beat)
                    assert await ws.recv(decode=False) == beat.to_json()


def _no_services(tmp_path: Path, ports: contextlib.ExitStack) -> GatewaySettings:
    """Return gateway settings whose services all refuse connections (ports held by `ports`)."""
    urls = {name: f"127.0.0.1:{ports.enter_context(refused_port())}" for name in SERVICES}
    return gateway_settings(
        tmp_path,
        {name: f"http://{url}" for name, url in urls.items()},
        {name: f"ws://{url}/ws" for name, url in urls.items()},
    )


async def test_a_malformed_browser_frame_is_rejected_and_counted_on_metrics(
    tmp_path: Path,
) -> None:
    with contextlib.ExitStack() as ports:
        settings = _no_services(tmp_path, ports)
        rejected = {"name": "ntx_bus_rejected_total", "reason": BAD_CONTROL}
        async with (
            asyncio.timeout(20),
            running_gateway(settings, TOKENS) as gateway,
            httpx.AsyncClient(base_url=gateway.url, trust_env=False) as http,
        ):
            before = metric_value((await http.get("/metrics")).text, **rejected)
            async with connect(gateway.ws_url) as ws:
                await ws.send("{not a subscribe frame")
                with pytest.raises(ConnectionClosed):
                    await ws.recv()
            metrics = await http.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert (before, metric_value(metrics.text, **rejected)) == (0, 1)


async def test_a_taken_port_is_an_operational_error(tmp_path: Path) -> None:
    with contextlib.ExitStack() as ports:
        settings = _no_services(tmp_path, ports)
        with listening_socket() as taken:
            busy = settings.model_copy(update={"http": HttpSection(port=port_of(taken))})
            with pytest.raises(OperationalError, match="could not start"):
                await serve_gateway(busy, stop=asyncio.Event())
