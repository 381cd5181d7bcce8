"""Heartbeats count from 0, keep one identity per process and follow the interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service_runtime import HeartbeatPublisher, HeartbeatStatus
from signal_bus import InMemoryBus
from signal_schema import Envelope, Heartbeat, topics

STARTED = datetime(2024, 1, 1, tzinfo=UTC)


class StepClock:
    """Return STARTED, then 5 s later at each call."""

    def __init__(self) -> None:
        self.now = STARTED

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(seconds=5)
        return now


class Stop(Exception):
    """Ends `run()` from the injected sleep."""


def publisher(bus: InMemoryBus, **overrides: object) -> HeartbeatPublisher:
    options: dict[str, object] = {
        "service": "data_core",
        "instance_id": "data_core-0a1b2c",
        "started_at": STARTED,
        "interval_secs": 5.0,
        "clock": StepClock(),
        **overrides,
    }
    return HeartbeatPublisher(bus, **options)  # type: ignore[arg-type]


def heartbeats(envelopes: list[Envelope | None]) -> list[Heartbeat]:
    beats = [e.message for e in envelopes if e is not None]
    assert all(isinstance(b, Heartbeat) for b in beats)
    return beats  # type: ignore[return-value]


async def test_heartbeats_count_from_zero_with_one_identity() -> None:
    bus = InMemoryBus()
    received = bus.subscribe([topics.SYSTEM_HEARTBEAT])
    beating = publisher(bus)
    for _ in range(3):
        await beating.beat()
    beats = heartbeats([received.get_nowait() for _ in range(3)])
    assert [b.seq for b in beats] == [0, 1, 2]
    assert {(b.service, b.instance_id, b.started_at) for b in beats} == {
        ("data_core", "data_core-0a1b2c", STARTED)
    }
    assert [b.ts_event for b in beats] == [STARTED + timedelta(seconds=5 * i) for i in range(3)]
    assert received.get_nowait() is None


async def test_run_beats_at_once_then_every_interval() -> None:
    bus = InMemoryBus()
    received = bus.subscribe([topics.SYSTEM_HEARTBEAT])
    slept: list[float] = []

    async def sleep(secs: float) -> None:
        slept.append(secs)
        if len(slept) == 3:
            raise Stop

    with pytest.raises(Stop):
        await publisher(bus, interval_secs=0.25, sleep=sleep).run()
    assert slept == [0.25, 0.25, 0.25]
    assert [b.seq for b in heartbeats([received.get_nowait() for _ in range(3)])] == [0, 1, 2]


async def test_each_heartbeat_carries_the_status_of_its_moment() -> None:
    bus = InMemoryBus()
    received = bus.subscribe([topics.SYSTEM_HEARTBEAT])
    statuses: list[HeartbeatStatus] = ["ok", "degraded", "halted"]
    feed = iter(statuses)
    beating = publisher(bus, status=lambda: next(feed))
    for _ in statuses:
        await beating.beat()
    beats = heartbeats([received.get_nowait() for _ in statuses])
    assert [b.status for b in beats] == statuses
