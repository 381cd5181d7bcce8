"""The gateway's browser relay counts connections that never subscribe, on its `/metrics`."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.integration.gateway.conftest import TOKENS, gateway_settings
from tests.integration.gateway.servers import refused_port, running_gateway
from tests.integration.services.processes import SERVICES, metric_value


async def test_an_idle_browser_socket_is_closed_and_counted(tmp_path: Path) -> None:
    with contextlib.ExitStack() as ports:
        urls = {name: f"127.0.0.1:{ports.enter_context(refused_port())}" for name in SERVICES}
        settings = gateway_settings(
            tmp_path,
            {name: f"http://{url}" for name, url in urls.items()},
            {name: f"ws://{url}/ws" for name, url in urls.items()},
        )
        relay = settings.relay.model_copy(update={"handshake_timeout_secs": 0.2})
        settings = settings.model_copy(update={"relay": relay})
        idle = {"name": "ntx_bus_handshake_closes_total", "reason": "idle_timeout"}
        async with (
            asyncio.timeout(20),
            running_gateway(settings, TOKENS) as gateway,
            httpx.AsyncClient(base_url=gateway.url, trust_env=False) as http,
        ):
            before = metric_value((await http.get("/metrics")).text, **idle)
            async with connect(gateway.ws_url) as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()  # nothing sent: closed when the handshake time is up
            after = metric_value((await http.get("/metrics")).text, **idle)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    assert (before, after) == (0, 1)
