"""Run alert_system in-process behind fake upstream buses (model_engine, exec_core)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from alert_system.build import build_service
from alert_system.service import AlertSystemService
from alert_system.settings import AlertSystemSettings, AlertSystemUpstream, SummarySection
from service_runtime import BusSection, HttpSection, ServiceHost
from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_schema import AnyMessage, Envelope

TOKEN = "alert-system-test-token"


def upstream_bus(token: str = TOKEN) -> BusServer:
    """Return a bus server standing in for a producer."""
    return BusServer(BusServerSettings(port=0, tokens=(SecretStr(token),)), service="fake")


def settings(home: Path, model_engine: str, exec_core: str, **sections: Any) -> AlertSystemSettings:
    """Return alert_system's settings for a test (ports picked by the OS).

    The daily summary is off unless a test passes ``summary=``: at its default 23:55 UTC it
    would add a DailySummary alert to every channel of a test run near midnight (the summary
    has its own test, with an injected clock).
    """
    values: dict[str, Any] = {
        "NTX_HOME": str(home),
        "NTX_BUS_TOKEN": TOKEN,
        "bus": BusSection(port=0),
        "http": HttpSection(port=0),
        "upstream": AlertSystemUpstream(model_engine_url=model_engine, exec_core_url=exec_core),
        "summary": SummarySection(enabled=False),
        **sections,
    }
    return AlertSystemSettings(**values)


@dataclass
class Running:
    """alert_system running, with its fake upstreams."""

    service: AlertSystemService
    host: ServiceHost
    model_engine: BusServer
    exec_core: BusServer

    async def emit(self, message: AnyMessage) -> None:
        """Publish `message` on the upstream bus that produces it."""
        signal_topics = message.TOPIC.startswith("signal.")
        bus = self.model_engine if signal_topics else self.exec_core
        await bus.publish(Envelope.of(message))

    @contextlib.asynccontextmanager
    async def subscribe(self, topics: Sequence[str]) -> AsyncIterator[AsyncIterator[Envelope]]:
        """Subscribe to alert_system's own bus; yield its message iterator once connected."""
        client = BusClient(BusClientSettings(url=self.host.bus.url, token=SecretStr(TOKEN)), topics)
        messages = client.messages()
        first = asyncio.ensure_future(anext(messages))
        await client.connected.wait()

        async def rest() -> AsyncIterator[Envelope]:
            yield await first
            async for envelope in messages:
                yield envelope

        try:
            yield rest()
        finally:
            first.cancel()
            await messages.aclose()  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def running(home: Path, **sections: Any) -> AsyncIterator[Running]:
    """Start alert_system with `sections` (telegram=..., webhook=...); stop it afterwards."""
    async with upstream_bus() as model_engine, upstream_bus() as exec_core:
        config = settings(home, model_engine.url, exec_core.url, **sections)
        service = build_service(config)
        host = ServiceHost.from_settings(service, config)
        stop = asyncio.Event()
        task = asyncio.create_task(host.run(stop))
        try:
            await asyncio.wait_for(service.wait_subscribed(), 20)
            yield Running(service, host, model_engine, exec_core)
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
