"""Browser sessions over an in-memory ASGI peer: one decode per message, bus overflow rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from starlette.types import Message
from starlette.websockets import WebSocket

from neurotradex.gateway.relay import Relay
from neurotradex.gateway.relay_ws import StarletteSink
from neurotradex.gateway.settings import RelaySettings
from neurotradex.gateway.tokens import ApiTokens
from signal_bus import OverflowPolicy
from signal_bus.session import ClientSession, SinkClosedError
from signal_bus.topics import TopicMatcher
from signal_schema import Envelope
from tests.schema_factories import heartbeat, rebuild

TOKENS = ApiTokens(SecretStr("read-token"), SecretStr("operator-token"))


class Peer:
    """The server side of one websocket as ASGI sees it; `gate` holds every send."""

    def __init__(self) -> None:
        self.sent: list[Message] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.sending = asyncio.Event()
        self._changed = asyncio.Condition()

    async def receive(self) -> Message:
        return {"type": "websocket.connect"}

    async def send(self, message: Message) -> None:
        self.sending.set()
        await self.gate.wait()
        async with self._changed:
            self.sent.append(message)
            self._changed.notify_all()

    async def wait_sent(self, count: int) -> list[Message]:
        async with asyncio.timeout(5), self._changed:
            await self._changed.wait_for(lambda: len(self.sent) >= count)
        return self.sent

    async def websocket(self) -> WebSocket:
        scope = {"type": "websocket", "path": "/ws", "headers": [], "client": ("127.0.0.1", 5)}
        websocket = WebSocket(scope, self.receive, self.send)
        await websocket.accept()
        self.sent.clear()
        self.sending.clear()
        return websocket


def _beat(seq: int) -> Envelope:
    return Envelope.of(rebuild(heartbeat(), seq=seq), correlation_id=f"beat-{seq}")


class Hub:
    """A relay and the writer tasks of the sessions attached to it."""

    def __init__(self) -> None:
        self.relay = Relay(RelaySettings(), {}, TOKENS)
        self.writers: list[asyncio.Task[None]] = []

    async def attach(self, peer: Peer, queue_size: int, overflow: OverflowPolicy) -> None:
        session = ClientSession(
            StarletteSink(await peer.websocket()),
            TopicMatcher(["system.*"]),
            queue_size=queue_size,
            overflow=overflow,
            metrics=self.relay.metrics,
            on_slow=self.relay.kick,
        )
        self.relay.attach(session)
        self.writers.append(asyncio.create_task(session.run_writer()))

    async def close(self) -> None:
        for writer in self.writers:
            writer.cancel()
        await asyncio.gather(*self.writers, return_exceptions=True)
        await self.relay.stop()


@pytest.fixture
async def hub() -> AsyncIterator[Hub]:
    built = Hub()
    yield built
    await built.close()


async def test_each_message_is_decoded_once_for_every_browser(hub: Hub) -> None:
    peers = [Peer(), Peer()]
    for peer in peers:
        await hub.attach(peer, queue_size=8, overflow="drop_oldest")
    beat = _beat(1)
    hub.relay.publish_nowait(beat)
    first, second = [(await peer.wait_sent(1))[0] for peer in peers]
    assert first == {"type": "websocket.send", "text": beat.to_json().decode()}
    assert first["text"] is second["text"]  # the same str object: decoded once


async def test_a_stalled_browser_loses_its_oldest_frames(hub: Hub) -> None:
    stalled = Peer()
    relay = hub.relay
    await hub.attach(stalled, queue_size=2, overflow="drop_oldest")
    stalled.gate.clear()
    relay.publish_nowait(_beat(0))
    await stalled.sending.wait()  # the writer holds frame 0; frames 1..4 queue behind it
    for seq in range(1, 5):
        relay.publish_nowait(_beat(seq))
    assert relay.metrics.value("ntx_bus_dropped_total") == 2
    stalled.gate.set()
    sent = await stalled.wait_sent(3)
    assert [m["text"] for m in sent] == [_beat(s).to_json().decode() for s in (0, 3, 4)]


async def test_a_stalled_browser_is_disconnected_when_so_configured(hub: Hub) -> None:
    stalled = Peer()
    relay = hub.relay
    await hub.attach(stalled, queue_size=2, overflow="disconnect")
    stalled.gate.clear()
    relay.publish_nowait(_beat(0))
    await stalled.sending.wait()
    for seq in range(1, 4):
        relay.publish_nowait(_beat(seq))
    assert relay.metrics.value("ntx_bus_slow_disconnects_total") == 1
    stalled.gate.set()
    sent = await stalled.wait_sent(2)
    assert {"type": "websocket.close", "code": 1013, "reason": "consumer too slow"} in sent


async def test_the_sink_refuses_frames_once_closed() -> None:
    peer = Peer()
    sink = StarletteSink(await peer.websocket())
    await sink.close(1000, "bye")
    await sink.close(1000, "twice")  # a second close does nothing
    with pytest.raises(SinkClosedError):
        await sink.send_frame(b'{"op":"error"}')
    assert peer.sent == [{"type": "websocket.close", "code": 1000, "reason": "bye"}]
