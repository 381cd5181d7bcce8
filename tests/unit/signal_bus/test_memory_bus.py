"""The in-memory bus keeps the websocket transport's topic and overflow semantics."""

from __future__ import annotations

import pytest

from signal_bus import InMemoryBus, SubscriptionClosed
from signal_schema import Envelope
from tests.schema_factories import bar, heartbeat, rebuild


def _beat(seq: int) -> Envelope:
    return Envelope.of(rebuild(heartbeat(), seq=seq), correlation_id=f"beat-{seq}")


async def test_subscribers_get_only_their_topics_in_order() -> None:
    bus = InMemoryBus()
    beats = bus.subscribe(["system.*"])
    bars = bus.subscribe(["market.bar"])
    for seq in range(5):
        await bus.publish(_beat(seq))
    candle = Envelope.of(bar())
    await bus.publish(candle)
    got = []
    async for envelope in beats.messages():
        got.append(envelope.message.seq)  # type: ignore[union-attr]
        if len(got) == 5:
            break
    assert got == [0, 1, 2, 3, 4]
    assert bars.get_nowait() == candle
    assert bars.get_nowait() is None


def test_drop_oldest_keeps_the_newest() -> None:
    bus = InMemoryBus(queue_size=3, overflow="drop_oldest")
    sub = bus.subscribe(["*"])
    for seq in range(10):
        bus.publish_nowait(_beat(seq))
    assert sub.dropped == 7
    assert [sub.get_nowait().message.seq for _ in range(3)] == [7, 8, 9]  # type: ignore[union-attr]


async def test_disconnect_policy_closes_a_slow_subscriber_only() -> None:
    bus = InMemoryBus(queue_size=2, overflow="disconnect")
    slow = bus.subscribe(["*"])
    fast = bus.subscribe(["*"])
    for seq in range(3):
        bus.publish_nowait(_beat(seq))
        fast.get_nowait()
    assert slow.closed
    assert not fast.closed
    with pytest.raises(SubscriptionClosed):
        async for _ in slow.messages():
            pass
    bus.publish_nowait(_beat(3))
    assert fast.get_nowait() == _beat(3)
