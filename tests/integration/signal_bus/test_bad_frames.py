"""Bad frames are rejected and counted; the sender stays connected and others keep receiving."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from signal_bus import BusServer
from signal_bus.control import subscribe_frame
from signal_schema import Envelope, topics
from tests.integration.signal_bus.collect import Collector
from tests.integration.signal_bus.conftest import (
    TOKEN,
    client_for,
    heartbeat_envelope,
    server_settings,
)
from tests.schema_factories import set_kill_switch

AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_FRAME = 4_096


def _valid_frame() -> dict[str, object]:
    return orjson.loads(heartbeat_envelope(1).to_json())  # type: ignore[no-any-return]


def _bad_frames() -> dict[str, bytes]:
    unknown = _valid_frame()
    unknown["message"] = {**unknown["message"], "type": "Teleport"}  # type: ignore[dict-item]
    old = {**_valid_frame(), "schema_version": 0}
    wrong_topic = {**_valid_frame(), "topic": "market.bar"}
    bad_field = _valid_frame()
    bad_field["message"] = {**bad_field["message"], "seq": -1}  # type: ignore[dict-item]
    return {
        "malformed_json": b'{"schema_version": 1, "topic": ',
        "unknown_type": orjson.dumps(unknown),
        "schema_version": orjson.dumps(old),
        "wrong_topic": orjson.dumps(wrong_topic),
        "invalid_message": orjson.dumps(bad_field),
        "not_accepted": heartbeat_envelope(2).to_json(),
    }


async def _subscribed(server: BusServer) -> ClientConnection:
    ws = await connect(server.url, additional_headers=AUTH, max_size=None)
    await ws.send(subscribe_frame((topics.SYSTEM_LOG,)), text=True)
    assert orjson.loads(await ws.recv())["op"] == "subscribed"
    return ws


@pytest.mark.parametrize(("reason", "frame"), list(_bad_frames().items()))
async def test_bad_frame_is_rejected_counted_and_answered(
    make_server: object, reason: str, frame: bytes
) -> None:
    async with make_server(max_frame_bytes=MAX_FRAME) as server:  # type: ignore[operator]
        healthy = Collector(client_for(server, [topics.SYSTEM_HEARTBEAT]))
        await healthy.client.wait_connected()
        sender = await _subscribed(server)
        await sender.send(frame, text=True)
        answer = orjson.loads(await sender.recv())
        assert answer["op"] == "error"
        assert answer["reason"] == reason
        assert server.metrics.value("ntx_bus_rejected_total", reason=reason) == 1
        server.publish_nowait(heartbeat_envelope(7))
        assert [e.message.seq for e in await healthy.wait_for(1)] == [7]  # type: ignore[union-attr]
        await sender.send(frame, text=True)  # the sender's connection still serves
        assert orjson.loads(await sender.recv())["reason"] == reason
        await sender.close()
        await healthy.close()


async def test_oversized_frame_closes_only_that_connection_with_1009(make_server: object) -> None:
    async with make_server(max_frame_bytes=MAX_FRAME) as server:  # type: ignore[operator]
        healthy = Collector(client_for(server, [topics.SYSTEM_HEARTBEAT]))
        await healthy.client.wait_connected()
        sender = await _subscribed(server)
        await sender.send(b"[" + b"0," * MAX_FRAME + b"0]", text=True)
        with pytest.raises(ConnectionClosed) as closed:
            await sender.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
        server.publish_nowait(heartbeat_envelope(9))
        assert [e.message.seq for e in await healthy.wait_for(1)] == [9]  # type: ignore[union-attr]
        assert server.client_count == 1
        assert server.metrics.value("ntx_bus_oversize_closes_total") == 1
        await healthy.close()


async def test_accepted_command_reaches_the_handler() -> None:
    commands: list[Envelope] = []
    arrived = asyncio.Event()

    async def on_command(envelope: Envelope) -> None:
        commands.append(envelope)
        arrived.set()

    settings = server_settings(accept_topics=(topics.RISK_KILL_SWITCH_SET,))
    async with BusServer(settings, service="test", on_command=on_command) as server:
        collector = Collector(client_for(server, [topics.SYSTEM_HEARTBEAT]))
        await collector.client.wait_connected()
        command = Envelope.of(set_kill_switch())
        await collector.client.publish(command)
        await asyncio.wait_for(arrived.wait(), timeout=10)
        assert commands == [command]
        assert server.metrics.value("ntx_bus_messages_in_total") == 1
        await collector.close()
