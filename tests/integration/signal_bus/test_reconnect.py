"""A consumer reconnects with backoff after its producer restarts."""

from __future__ import annotations

from signal_bus import BusServer
from signal_schema import topics
from tests.integration.signal_bus.collect import Collector
from tests.integration.signal_bus.conftest import client_for, heartbeat_envelope, server_settings


async def test_client_reconnects_after_server_restart() -> None:
    first = BusServer(server_settings(), service="test")
    await first.start()
    port = first.port
    collector = Collector(client_for(first, [topics.SYSTEM_HEARTBEAT]))
    await collector.client.wait_connected(1)
    first.publish_nowait(heartbeat_envelope(1))
    await collector.wait_for(1)
    await first.stop()

    second = BusServer(server_settings(port=port), service="test")
    await second.start()
    await collector.client.wait_connected(2)
    second.publish_nowait(heartbeat_envelope(2))
    got = await collector.wait_for(2)
    assert [e.message.seq for e in got] == [1, 2]  # type: ignore[union-attr]
    assert collector.client.metrics.value("ntx_bus_reconnects_total") >= 1
    await collector.close()
    await second.stop()


async def test_client_keeps_retrying_while_nothing_listens() -> None:
    probe = BusServer(server_settings(), service="test")
    await probe.start()
    port = probe.port
    client = client_for(probe, [topics.SYSTEM_HEARTBEAT])
    await probe.stop()  # nothing listens on `port` now
    collector = Collector(client)
    server = BusServer(server_settings(port=port), service="test")
    await client.wait_until(lambda: client.failures >= 2)
    await server.start()
    await client.wait_connected(1)
    server.publish_nowait(heartbeat_envelope(5))
    assert [e.message.seq for e in await collector.wait_for(1)] == [5]  # type: ignore[union-attr]
    await collector.close()
    await server.stop()
