"""Publishing and subscribing over real websockets on 127.0.0.1."""

from __future__ import annotations

import httpx

from signal_bus import BusServer
from signal_schema import Envelope, topics
from tests.integration.signal_bus.collect import Collector
from tests.integration.signal_bus.conftest import client_for, heartbeat_envelope
from tests.schema_factories import bar, golden_envelopes


async def test_subscriber_gets_its_topics_in_order(bus_server: BusServer) -> None:
    collector = Collector(client_for(bus_server, ["system.*"]))
    await collector.client.wait_connected()
    for seq in range(200):
        bus_server.publish_nowait(heartbeat_envelope(seq))
        if seq % 50 == 0:
            bus_server.publish_nowait(Envelope.of(bar()))  # market.bar: not subscribed
    got = await collector.wait_for(200)
    assert [e.message.seq for e in got] == list(range(200))  # type: ignore[union-attr]
    assert all(e.topic == topics.SYSTEM_HEARTBEAT for e in got)
    await collector.close()


async def test_every_message_type_crosses_the_wire_unchanged(bus_server: BusServer) -> None:
    collector = Collector(client_for(bus_server, ["*"]))
    await collector.client.wait_connected()
    sent = list(golden_envelopes().values())
    for envelope in sent:
        bus_server.publish_nowait(envelope)
    assert await collector.wait_for(len(sent)) == sent
    await collector.close()


async def test_healthz_and_metrics_are_served(bus_server: BusServer) -> None:
    collector = Collector(client_for(bus_server, [topics.SYSTEM_HEARTBEAT]))
    await collector.client.wait_connected()
    for seq in range(3):
        bus_server.publish_nowait(heartbeat_envelope(seq))
    await collector.wait_for(3)
    base = f"http://127.0.0.1:{bus_server.port}"
    async with httpx.AsyncClient() as http:
        health = await http.get(f"{base}/healthz")
        metrics = await http.get(f"{base}/metrics")
        missing = await http.get(f"{base}/nope")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["clients"] == 1
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'ntx_bus_published_total{topic="system.heartbeat"} 3.0' in metrics.text
    assert "ntx_bus_queue_depth_max" in metrics.text
    assert missing.status_code == 404
    await collector.close()
