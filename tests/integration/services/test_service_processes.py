"""Each service runs as a real process: health on both ports, heartbeats, metrics, SIGTERM."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from signal_bus.codec import MALFORMED_JSON
from signal_bus.control import subscribe_frame
from signal_schema import topics
from tests.integration.services.processes import (
    AUTH,
    READ_TOKEN,
    SERVICES,
    TOKEN,
    ServiceProcess,
    first_heartbeat,
    free_port,
    metric_value,
    port_is_free,
    service_env,
)

Starter = Callable[..., Awaitable[ServiceProcess]]


@pytest.fixture
async def start(tmp_path: Path) -> AsyncIterator[Starter]:
    """Start services on free ports; kill any still running at the end of the test."""
    started: list[ServiceProcess] = []

    async def starter(
        service: str, *, bus_port: int = 0, http_port: int = 0, **upstream_urls: str
    ) -> ServiceProcess:
        env = service_env(
            service,
            tmp_path,
            bus_port=bus_port or free_port(),
            http_port=http_port or free_port(),
            upstream_urls=upstream_urls,
        )
        process = await ServiceProcess.start(service, env)
        started.append(process)
        return process

    yield starter
    for process in started:
        await process.kill()


@pytest.mark.parametrize("service", SERVICES)
async def test_service_serves_beats_and_stops_on_sigterm(service: str, start: Starter) -> None:
    bus_port, http_port = free_port(), free_port()
    process = await start(service, bus_port=bus_port, http_port=http_port)
    started = await process.event("started")
    assert (started["bus_port"], started["http_port"]) == (bus_port, http_port)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}") as api:
        api_health = await api.get("/healthz")  # probes and Prometheus need no token
        info = await api.get("/api/info", headers=AUTH)
        bus_health = await api.get(f"http://127.0.0.1:{bus_port}/healthz")
        beat = await first_heartbeat(bus_port)
        metrics = await api.get("/metrics")
        anonymous = [await api.get(path) for path in ("/api/info", "/openapi.json")]
        wrong = await api.get("/api/info", headers={"Authorization": "Bearer nope"})
        reader = await api.get("/api/info", headers={"Authorization": f"Bearer {READ_TOKEN}"})

    assert api_health.status_code == bus_health.status_code == metrics.status_code == 200
    assert [r.status_code for r in (*anonymous, wrong)] == [401, 401, 401]
    assert anonymous[0].headers["WWW-Authenticate"] == "Bearer"
    assert (info.status_code, reader.status_code) == (200, 200)
    for body in (api_health.json(), bus_health.json()):
        assert body["service"] == service
        assert body["instance_id"] == started["instance_id"]
    assert info.json()["name"] == service
    assert "GET /api/info" in info.json()["routes"]
    assert (beat.service, beat.instance_id) == (service, started["instance_id"])
    assert "details" not in api_health.json()  # counters are metrics, not health
    assert metric_value(metrics.text, "ntx_bus_published_total", topic="system.heartbeat")

    assert await process.stop() == 0, process.output()
    assert await process.event("stopped")
    assert port_is_free(bus_port)
    assert port_is_free(http_port)


async def test_a_malformed_command_is_rejected_and_counted_on_metrics(start: Starter) -> None:
    bus_port, http_port = free_port(), free_port()
    process = await start("exec_core", bus_port=bus_port, http_port=http_port)
    await process.event("started")
    rejected = {"name": "ntx_bus_rejected_total", "reason": MALFORMED_JSON}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}") as api:
        before = metric_value((await api.get("/metrics")).text, **rejected)
        async with connect(f"ws://127.0.0.1:{bus_port}/ws") as ws:
            await ws.send(subscribe_frame((topics.RISK_KILL_SWITCH_CHANGED,), TOKEN))
            assert json.loads(await ws.recv())["op"] == "subscribed"
            await ws.send("{not json")
            error = json.loads(await ws.recv())
        metrics = await api.get("/metrics")

    assert error["op"] == "error"
    assert error["reason"] == MALFORMED_JSON
    assert metrics.headers["content-type"].startswith("text/plain")
    assert (before, metric_value(metrics.text, **rejected)) == (0, 1)
    assert metric_value(metrics.text, "ntx_exec_decisions_total", outcome="accepted") == 0
    assert await process.stop() == 0, process.output()


async def test_exec_core_reports_model_engine_heartbeats(start: Starter) -> None:
    me_bus = free_port()
    model_engine = await start("model_engine", bus_port=me_bus)
    me_started = await model_engine.event("started")
    ex_http = free_port()
    exec_core = await start(
        "exec_core", http_port=ex_http, model_engine=f"ws://127.0.0.1:{me_bus}/ws"
    )
    await exec_core.event("upstream_seen", upstream="model_engine")
    async with httpx.AsyncClient() as api:
        health = (await api.get(f"http://127.0.0.1:{ex_http}/healthz")).json()

    seen = health["upstreams"]["model_engine"]
    assert seen["connected"] is True
    assert 0 <= seen["last_heartbeat_age_secs"] < 5
    assert seen["instance_id"] == me_started["instance_id"]
    assert health["upstreams"]["data_core"]["connected"] is False
    assert health["upstreams"]["data_core"]["last_heartbeat_age_secs"] is None
    assert health["status"] == "degraded"
    assert await exec_core.stop() == 0, exec_core.output()
    assert await model_engine.stop() == 0, model_engine.output()


async def test_missing_bus_token_exits_2_naming_the_variable(tmp_path: Path) -> None:
    env = service_env("data_core", tmp_path, bus_port=0, http_port=0, upstream_urls={})
    del env["NTX_BUS_TOKEN"]
    process = await ServiceProcess.start("data_core", env)
    try:
        assert await process.wait() == 2, process.output()
    finally:
        await process.kill()
    failed = await process.event("failed")
    assert failed["level"] == "CRITICAL"
    assert "NTX_BUS_TOKEN: not set" in failed["msg"]
