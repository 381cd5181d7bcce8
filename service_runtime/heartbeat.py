"""Publish a `Heartbeat` every interval: seq from 0 per process start."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Literal

from signal_bus import Publisher
from signal_schema import Envelope, Heartbeat

HeartbeatStatus = Literal["ok", "degraded", "halted"]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class HeartbeatPublisher:
    """Publish the service's heartbeats to `publisher`.

    Parameters
    ----------
    publisher
        Where heartbeats go (the service's bus server).
    service, instance_id, started_at
        Who is beating: the same on every heartbeat of this process.
    interval_secs
        Time between two heartbeats.
    status
        Called for each heartbeat: the service's current status.
    clock, sleep
        Injected for tests.
    """

    def __init__(
        self,
        publisher: Publisher,
        *,
        service: str,
        instance_id: str,
        started_at: datetime,
        interval_secs: float,
        status: Callable[[], HeartbeatStatus] = lambda: "ok",
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._publisher = publisher
        self.service = service
        self.instance_id = instance_id
        self.started_at = started_at
        self.interval_secs = interval_secs
        self._status = status
        self._clock = clock
        self._sleep = sleep
        self.seq = 0

    def next_heartbeat(self) -> Heartbeat:
        """Build the next heartbeat and advance `seq`."""
        now = self._clock()
        beat = Heartbeat(
            ts_event=now,
            ts_init=now,
            service=self.service,
            instance_id=self.instance_id,
            seq=self.seq,
            started_at=self.started_at,
            status=self._status(),
        )
        self.seq += 1
        return beat

    async def beat(self) -> None:
        """Publish one heartbeat now."""
        await self._publisher.publish(Envelope.of(self.next_heartbeat()))

    async def run(self) -> None:
        """Publish a heartbeat at once, then one every `interval_secs`, until cancelled."""
        while True:
            await self.beat()
            await self._sleep(self.interval_secs)
