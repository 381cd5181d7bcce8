"""Publish real candles on a websocket bus and follow them from a reconnecting consumer."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence

from pydantic import SecretStr

from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_schema import Bar, Envelope, topics

OnBar = Callable[[Bar], None]


async def replay(bars: Sequence[Bar], bars_per_sec: float, on_bar: OnBar) -> int:
    """Send `bars` through a real bus server to a real client; return how many arrived."""
    token = secrets.token_urlsafe(16)
    settings = BusServerSettings(tokens=(SecretStr(token),))
    async with BusServer(settings, service="demo-replay") as server:
        client = BusClient(
            BusClientSettings(url=server.url, token=SecretStr(token)), [topics.MARKET_BAR]
        )
        received = 0
        done = asyncio.Event()

        async def consume() -> None:
            nonlocal received
            async for envelope in client.messages():
                if isinstance(envelope.message, Bar):
                    on_bar(envelope.message)
                    received += 1
                    if received == len(bars):
                        done.set()
                        return

        consumer = asyncio.create_task(consume())
        await client.connected.wait()
        for bar in bars:
            await server.publish(Envelope.of(bar))
            await asyncio.sleep(1.0 / bars_per_sec)
        await asyncio.wait_for(done.wait(), timeout=10)
        await consumer
    return received
