"""A stalled consumer never slows the others: it is dropped-oldest or disconnected, as set."""

from __future__ import annotations

import asyncio

import orjson
from websockets.asyncio.client import ClientConnection, connect

from signal_bus import BusServer
from signal_bus.control import subscribe_frame
from signal_schema import topics
from tests.integration.signal_bus.collect import Collector
from tests.integration.signal_bus.conftest import TOKEN, big_log_envelope, client_for

BATCH = 32  # below QUEUE: a consumer that keeps up never overflows
MESSAGES = 188 * BATCH  # ~12 MB of 2 KB frames: more than loopback buffers can hide
QUEUE = 64
CLOSE_TIMEOUT = 0.5


async def _stalled_consumer(server: BusServer) -> ClientConnection:
    """Subscribe, then never read again (websockets stops reading after max_queue frames)."""
    ws = await connect(
        server.url, additional_headers={"Authorization": f"Bearer {TOKEN}"}, max_queue=4
    )
    await ws.send(subscribe_frame((topics.SYSTEM_LOG,)), text=True)
    assert orjson.loads(await ws.recv())["op"] == "subscribed"
    return ws


async def _publish_paced(server: BusServer, healthy: Collector) -> None:
    """Publish in batches, each after the healthy consumer caught up with the last."""
    for start in range(0, MESSAGES, BATCH):
        for seq in range(start, start + BATCH):
            server.publish_nowait(big_log_envelope(seq))
        await healthy.wait_for(start + BATCH)


async def test_stalled_consumer_drops_oldest_while_others_get_everything(
    make_server: object,
) -> None:
    async with make_server(queue_size=QUEUE, overflow="drop_oldest") as server:  # type: ignore[operator]
        healthy = Collector(client_for(server, [topics.SYSTEM_LOG]))
        await healthy.client.wait_connected()
        stalled = await _stalled_consumer(server)
        await _publish_paced(server, healthy)
        got = [e.correlation_id for e in healthy.received]
        assert got == [f"log-{seq}" for seq in range(MESSAGES)]
        assert server.metrics.value("ntx_bus_dropped_total") > 0
        assert server.client_count == 2  # the stalled one is kept, only its backlog is trimmed
        stalled.transport.abort()
        await healthy.close()


async def test_stalled_consumer_is_disconnected_when_so_configured(make_server: object) -> None:
    async with make_server(  # type: ignore[operator]
        queue_size=QUEUE, overflow="disconnect", close_timeout_secs=CLOSE_TIMEOUT
    ) as server:
        healthy = Collector(client_for(server, [topics.SYSTEM_LOG]))
        await healthy.client.wait_connected()
        stalled = await _stalled_consumer(server)
        await _publish_paced(server, healthy)
        assert len(healthy.received) == MESSAGES
        assert server.metrics.value("ntx_bus_slow_disconnects_total") == 1
        assert server.metrics.value("ntx_bus_dropped_total") == 0
        assert server.client_count == 1  # the kicked one no longer counts
        assert healthy.client.connections == 1  # the healthy consumer never reconnected
        async with asyncio.timeout(CLOSE_TIMEOUT + 5):  # closed, or aborted: it never reads
            await server.wait_kicks_closed()
        stalled.transport.abort()
        await healthy.close()


async def test_stop_is_bounded_with_a_stalled_consumer(make_server: object) -> None:
    server = make_server(queue_size=QUEUE, close_timeout_secs=CLOSE_TIMEOUT)  # type: ignore[operator]
    await server.start()
    healthy = Collector(client_for(server, [topics.SYSTEM_LOG]))
    await healthy.client.wait_connected()
    stalled = await _stalled_consumer(server)
    await _publish_paced(server, healthy)
    async with asyncio.timeout(CLOSE_TIMEOUT + 5):
        await server.stop()
    stalled.transport.abort()
    await healthy.close()
