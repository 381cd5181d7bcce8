"""Consume a BusClient in the background and let a test wait for what arrived."""

from __future__ import annotations

import asyncio

from signal_bus import BusClient
from signal_schema import Envelope


class Collector:
    """Run `client.messages()` in a task; `wait_for(n)` returns once n envelopes arrived."""

    def __init__(self, client: BusClient) -> None:
        self.client = client
        self.received: list[Envelope] = []
        self._changed = asyncio.Condition()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for envelope in self.client.messages():
            async with self._changed:
                self.received.append(envelope)
                self._changed.notify_all()

    async def wait_for(self, count: int, within_secs: float = 20.0) -> list[Envelope]:
        """Wait until `count` envelopes arrived (failing after `within_secs`)."""
        async with asyncio.timeout(within_secs), self._changed:
            await self._changed.wait_for(lambda: len(self.received) >= count or self._task.done())
        if self._task.done():
            self._task.result()
        return self.received[:count]

    async def close(self) -> None:
        """Stop consuming."""
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
