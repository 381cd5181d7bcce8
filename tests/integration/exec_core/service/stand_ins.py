"""Stand-in upstreams for a real exec_core process: model_engine and data_core bus servers.

Signals come from `tests.schema_factories` with real closes; bars are real BTC/USDT 1h
candles. `Outputs` follows exec_core's own bus; tests wait on what it publishes, never sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_schema import AnyMessage, Bar, Envelope, Signal, topics
from tests import schema_factories as f
from tests.integration.services.processes import TOKEN, ServiceProcess, free_port, service_env

OUTPUT_TOPICS = [
    topics.RISK_DECISION,
    topics.APPROVAL_REQUESTED,
    topics.PORTFOLIO_SNAPSHOT,
    topics.POSITION_CHANGED,
    topics.ORDER_ACCEPTED,
    topics.ORDER_FILLED,
    topics.ORDER_SUBMIT,
    topics.ORDER_REJECTED,
    topics.ORDER_CANCELED,
    topics.APPROVAL_DECIDED,
]


def signal_on(bar: Bar, signal_id: str) -> Signal:
    """Return the golden long signal re-dated to `bar`'s close, at its real close price."""
    return f.rebuild(
        f.signal(),
        signal_id=signal_id,
        ts_event=bar.ts_event,
        ts_init=bar.ts_event,
        price=bar.close,
    )


def heartbeat() -> Envelope:
    """Return a fresh model_engine heartbeat (the dead-man switch reads its age)."""
    now = datetime.now(UTC)
    return Envelope.of(f.rebuild(f.heartbeat(), ts_event=now, ts_init=now))


@dataclass
class Outputs:
    """Everything exec_core publishes, collected by a background subscriber."""

    messages: list[AnyMessage] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def of(self, kind: str) -> list[AnyMessage]:
        """Return the messages of type `kind` so far."""
        return [m for m in self.messages if m.type == kind]

    async def until(self, predicate: Callable[[Outputs], bool], within_secs: float = 20) -> None:
        """Wait until `predicate` holds over the messages so far."""
        async with asyncio.timeout(within_secs):
            while not predicate(self):
                self._changed.clear()
                await self._changed.wait()

    async def follow(self, client: BusClient) -> None:
        """Append every message `client` receives."""
        async for envelope in client.messages():
            self.messages.append(envelope.message)
            self._changed.set()


@dataclass
class Stand:
    """The two stand-in upstreams and exec_core's environment."""

    model_engine: BusServer
    data_core: BusServer
    env: dict[str, str]
    bus_port: int
    http_port: int

    def signal(self, signal: Signal) -> None:
        """Publish a heartbeat then `signal` from the stand-in model_engine."""
        self.model_engine.publish_nowait(heartbeat())
        self.model_engine.publish_nowait(Envelope.of(signal))

    def bar(self, bar: Bar) -> None:
        """Publish `bar` from the stand-in data_core."""
        self.data_core.publish_nowait(Envelope.of(bar))

    @property
    def http(self) -> str:
        """Return exec_core's HTTP base URL."""
        return f"http://127.0.0.1:{self.http_port}"


@contextlib.asynccontextmanager
async def stand(home: Path, **env: str) -> AsyncIterator[Stand]:
    """Start both stand-ins; yield them with exec_core's environment (plus `env`)."""
    servers = {
        name: BusServer(
            BusServerSettings(port=free_port(), tokens=(SecretStr(TOKEN),)), service=name
        )
        for name in ("model_engine", "data_core")
    }
    for server in servers.values():
        await server.start()
    bus_port, http_port = free_port(), free_port()
    urls = {n: f"ws://127.0.0.1:{s.settings.port}/ws" for n, s in servers.items()}
    base = service_env(
        "exec_core", home, bus_port=bus_port, http_port=http_port, upstream_urls=urls
    )
    base |= {"EXEC_CORE__VALIDATION__CLOCK": "market", "EXEC_CORE__LOG__LEVEL": "INFO", **env}
    try:
        yield Stand(servers["model_engine"], servers["data_core"], base, bus_port, http_port)
    finally:
        for server in servers.values():
            await server.stop()


@contextlib.asynccontextmanager
async def exec_core(s: Stand) -> AsyncIterator[tuple[ServiceProcess, Outputs]]:
    """Start ``python -m exec_core``; yield it once reconciled, subscribed and followed."""
    process = await ServiceProcess.start("exec_core", s.env)
    outputs = Outputs()
    client = BusClient(
        BusClientSettings(url=f"ws://127.0.0.1:{s.bus_port}/ws", token=SecretStr(TOKEN)),
        OUTPUT_TOPICS,
    )
    follower = asyncio.create_task(outputs.follow(client))
    try:
        await process.event("trading_ready")
        await process.event("input_subscribed", upstream="model_engine")
        await process.event("input_subscribed", upstream="data_core")
        await client.wait_connected(1)
        yield process, outputs
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
        await process.kill()
