"""A flood of bad frames writes one log line and a summary; closes before a subscribe are counted.

Real websocket connections to a real `BusServer`. The server is stopped before its counters are
read: `stop` returns once every connection handler has finished, so nothing is still counting.
"""

from __future__ import annotations

import logging

import orjson
import pytest
from pydantic import SecretStr
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from service_runtime import ServiceMetrics
from signal_bus import BusClient, BusClientSettings, BusServer
from signal_bus.control import subscribe_frame, subscribed_frame
from signal_bus.throttle import ThrottledWarning
from signal_schema import topics
from tests.integration.services.processes import metric_value
from tests.integration.signal_bus.conftest import TOKEN, heartbeat_envelope, server_settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
FLOOD = 400


def rejected_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == "bus_frame_rejected"]


async def test_a_flood_of_rejected_frames_is_one_line_then_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="signal_bus.server")
    server = BusServer(server_settings(), service="test")
    async with server, connect(server.url, additional_headers=AUTH) as ws:
        await ws.send(subscribe_frame((topics.SYSTEM_LOG,)), text=True)
        assert orjson.loads(await ws.recv())["op"] == "subscribed"
        frame = heartbeat_envelope(1).to_json()  # valid, but this bus takes no commands
        for _ in range(FLOOD):
            await ws.send(frame, text=True)
        for _ in range(FLOOD):  # every frame answered: every reject logged or counted
            assert orjson.loads(await ws.recv())["reason"] == "not_accepted"
        assert len(rejected_lines(caplog)) == 1
        assert server.rejected_log.held == FLOOD - 1
    lines = rejected_lines(caplog)  # stopping the server writes the interval's summary
    assert [getattr(r, "repeats", None) for r in lines] == [1, FLOOD - 1]
    assert f"and {FLOOD - 1} more" in lines[1].getMessage()
    assert server.metrics.value("ntx_bus_rejected_total", reason="not_accepted") == FLOOD


def test_the_throttle_writes_one_summary_per_interval() -> None:
    now = [0.0]
    log = logging.getLogger("tests.throttle")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    log.addHandler(handler)
    try:
        throttle = ThrottledWarning(log, "x", interval_secs=10, clock=lambda: now[0])
        for _ in range(5):
            throttle.warning("bad %s", "frame")
        assert [r.getMessage() for r in records] == ["bad frame"]
        now[0] = 10.5
        throttle.warning("bad %s", "frame")  # the interval is over: the summary goes out
        assert records[-1].getMessage() == "bad frame (and 5 more like it in the last 10 s)"
        now[0] = 30.0
        throttle.warning("bad %s", "again")  # quiet for an interval: logged at once
        assert records[-1].getMessage() == "bad again"
        assert len(records) == 3
    finally:
        log.removeHandler(handler)


async def test_closes_before_a_subscribe_are_counted_by_reason() -> None:
    metrics = ServiceMetrics()
    settings = server_settings(max_frame_bytes=4_096, handshake_timeout_secs=0.2)
    server = BusServer(settings, service="test", metrics=metrics.bus)
    async with server:
        codes = []
        for frame in (b"\xff\xfe not utf-8", b"[" + b"0," * 4_096 + b"0]", None):
            async with connect(server.url, additional_headers=AUTH, max_size=None) as ws:
                if frame is not None:
                    await ws.send(frame, text=True)
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()  # the idle one: closed when the handshake time is up
                assert closed.value.rcvd is not None
                codes.append(closed.value.rcvd.code)
    assert codes == [1007, 1009, 1008]
    exposition = metrics.render().decode()  # the service's /metrics renders the bus's counters
    for reason in ("invalid_utf8", "oversize", "idle_timeout"):
        assert metric_value(exposition, "ntx_bus_handshake_closes_total", reason=reason) == 1


async def test_a_producer_flooding_bad_frames_is_one_consumer_line_then_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A real websocket producer sends garbage, then one good heartbeat, to a real BusClient."""
    caplog.set_level(logging.WARNING, logger="signal_bus.client")

    async def producer(ws: ServerConnection) -> None:
        await ws.recv()  # the subscribe frame
        await ws.send(subscribed_frame((topics.SYSTEM_HEARTBEAT,)), text=True)
        for _ in range(FLOOD):
            await ws.send('{"schema_version": 1, "topic": ', text=True)
        await ws.send(heartbeat_envelope(5).to_json(), text=True)
        await ws.wait_closed()

    async with serve(producer, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        settings = BusClientSettings(url=f"ws://127.0.0.1:{port}/ws", token=SecretStr(TOKEN))
        client = BusClient(settings, [topics.SYSTEM_HEARTBEAT])
        messages = client.messages()
        first = await anext(messages)  # every bad frame before it was read and dropped
        await messages.aclose()  # type: ignore[attr-defined]
    dropped = [r for r in caplog.records if getattr(r, "event", None) == "bus_frame_dropped"]
    assert first.message.seq == 5  # type: ignore[union-attr]
    assert len(dropped) == 1
    assert client.dropped_log.held == FLOOD - 1
    assert client.metrics.value("ntx_bus_rejected_total", reason="malformed_json") == FLOOD
