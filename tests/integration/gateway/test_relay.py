"""The browser relay: token in the first frame, then every upstream envelope byte for byte."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from signal_bus.control import subscribe_frame
from signal_schema import Envelope, topics
from tests.integration.gateway.conftest import BUS, OPERATOR, READ, Platform
from tests.schema_factories import bar, heartbeat, rebuild, signal

WITHIN_SECS = 10


@pytest.mark.parametrize("token", [READ, OPERATOR], ids=["read", "operator"])
async def test_envelopes_arrive_byte_identical(platform: Platform, token: str) -> None:
    beat = Envelope.of(rebuild(heartbeat(), seq=42))
    emitted = Envelope.of(signal())
    async with asyncio.timeout(WITHIN_SECS), connect(platform.gateway.ws_url) as ws:
        await ws.send(subscribe_frame((topics.SYSTEM_HEARTBEAT, "signal.*"), token=token))
        ack = await ws.recv()
        assert orjson.loads(ack) == {"op": "subscribed", "topics": ["system.heartbeat", "signal.*"]}
        platform.buses["exec_core"].publish_nowait(Envelope.of(bar()))  # not subscribed
        platform.buses["exec_core"].publish_nowait(beat)
        platform.buses["model_engine"].publish_nowait(emitted)
        frames = [await ws.recv(), await ws.recv()]
    assert all(isinstance(frame, str) for frame in frames)  # text frames, as the bus sends
    received = {str(frame).encode() for frame in frames}  # two buses: order is not defined
    assert received == {beat.to_json(), emitted.to_json()}
    assert platform.gateway.relay.metrics.value("ntx_bus_messages_out_total") == 3


@pytest.mark.parametrize("token", [None, "wrong-token", BUS], ids=["missing", "wrong", "bus"])
async def test_missing_or_wrong_token_is_closed_with_1008(
    platform: Platform, token: str | None
) -> None:
    async with asyncio.timeout(WITHIN_SECS), connect(platform.gateway.ws_url) as ws:
        await ws.send(subscribe_frame(("*",), token=token))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    assert "unauthorized" in closed.value.rcvd.reason
    assert platform.gateway.relay.metrics.value("ntx_bus_auth_failures_total") == 1
    assert platform.gateway.relay.client_count == 0


async def test_a_bad_subscribe_frame_is_closed_with_1008(platform: Platform) -> None:
    async with asyncio.timeout(WITHIN_SECS), connect(platform.gateway.ws_url) as ws:
        await ws.send(orjson.dumps({"op": "subscribe", "topics": ["Bad Topic"], "token": READ}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


async def test_the_relay_is_read_only(platform: Platform) -> None:
    async with asyncio.timeout(WITHIN_SECS), connect(platform.gateway.ws_url) as ws:
        await ws.send(subscribe_frame(("*",), token=READ))
        await ws.recv()
        await ws.send(Envelope.of(bar()).to_json(), text=True)
        answer = orjson.loads(await ws.recv())
    assert (answer["op"], answer["reason"]) == ("error", "not_accepted")
