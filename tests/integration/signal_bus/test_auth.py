"""Wrong or missing tokens are refused; browsers may carry the token in the first frame."""

from __future__ import annotations

import logging

import pytest
from websockets.asyncio.client import connect
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, InvalidStatus

from signal_bus import BusServer, OperationalError
from signal_bus.control import subscribe_frame
from tests.integration.signal_bus.conftest import TOKEN, client_for


async def test_wrong_bearer_token_gets_401(bus_server: BusServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(bus_server.url, additional_headers={"Authorization": "Bearer nope"}):
            pass
    assert refused.value.response.status_code == 401
    assert bus_server.metrics.value("ntx_bus_auth_failures_total") == 1


@pytest.mark.parametrize(
    "tokens", [(TOKEN, TOKEN), ("nope", TOKEN), ("nope", "nope")], ids=["valid", "mixed", "wrong"]
)
async def test_two_authorization_headers_get_400_without_a_traceback(
    bus_server: BusServer, tokens: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    headers = Headers([("Authorization", f"Bearer {token}") for token in tokens])
    with pytest.raises(InvalidStatus) as refused:
        async with connect(bus_server.url, additional_headers=headers):
            pass
    assert refused.value.response.status_code == 400
    assert b"more than one Authorization header" in refused.value.response.body
    assert bus_server.metrics.value("ntx_bus_auth_failures_total") == 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []


async def test_client_with_wrong_token_stops_with_operational_error(bus_server: BusServer) -> None:
    client = client_for(bus_server, ["*"], token="not-the-token")
    with pytest.raises(OperationalError, match="refused the token"):
        async for _ in client.messages():
            pass
    assert bus_server.client_count == 0


async def test_missing_token_is_closed_with_policy_violation(bus_server: BusServer) -> None:
    async with connect(bus_server.url) as ws:
        await ws.send(subscribe_frame(("*",)), text=True)
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    assert "unauthorized" in closed.value.rcvd.reason
    assert bus_server.client_count == 0


async def test_wrong_token_in_first_frame_is_refused(bus_server: BusServer) -> None:
    async with connect(bus_server.url) as ws:
        await ws.send(subscribe_frame(("*",), token="guess"), text=True)
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


async def test_token_in_first_frame_is_accepted(bus_server: BusServer) -> None:
    async with connect(bus_server.url) as ws:
        await ws.send(subscribe_frame(("system.*",), token=TOKEN), text=True)
        ack = await ws.recv()
    assert ack == '{"op":"subscribed","topics":["system.*"]}'


async def test_bad_subscribe_frame_is_rejected_and_counted(bus_server: BusServer) -> None:
    async with connect(
        bus_server.url, additional_headers={"Authorization": f"Bearer {TOKEN}"}
    ) as ws:
        await ws.send('{"op":"subscribe","topics":["Not A Topic"]}')
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    assert bus_server.metrics.value("ntx_bus_rejected_total", reason="bad_control") == 1
