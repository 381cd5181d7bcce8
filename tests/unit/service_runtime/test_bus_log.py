"""Log records reach the service's bus as LogRecord messages, from any thread, without loops."""

from __future__ import annotations

import asyncio
import logging

from pydantic import SecretStr

from service_runtime.bus_log import BusLogHandler
from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_schema import LogRecord, topics

TOKEN = "log-test-token"


async def test_records_are_relayed_from_the_loop_and_from_threads() -> None:
    settings = BusServerSettings(tokens=(SecretStr(TOKEN),))
    async with BusServer(settings, service="toy") as server:
        client = BusClient(
            BusClientSettings(url=server.url, token=SecretStr(TOKEN)), [topics.SYSTEM_LOG]
        )
        messages = client.messages()
        first = asyncio.ensure_future(anext(messages))
        await client.wait_connected()
        handler = BusLogHandler(server, "toy")
        log = logging.getLogger("toy.domain")
        log.addHandler(handler)
        log.setLevel(logging.DEBUG)
        try:
            log.debug("below the handler's level: not relayed")
            logging.getLogger("signal_bus.server").addHandler(handler)
            logging.getLogger("signal_bus.server").warning("the bus's own: never relayed")
            log.warning("candle %s missing", "13:00")
            got = [await asyncio.wait_for(first, 10)]
            await asyncio.to_thread(log.error, "from a worker thread")
            got.append(await asyncio.wait_for(anext(messages), 10))
        finally:
            log.removeHandler(handler)
            logging.getLogger("signal_bus.server").removeHandler(handler)
            await messages.aclose()  # type: ignore[attr-defined]
    records = [e.message for e in got]
    assert all(isinstance(r, LogRecord) for r in records)
    assert [(r.level, r.text) for r in records] == [  # type: ignore[union-attr]
        ("WARNING", "candle 13:00 missing"),
        ("ERROR", "from a worker thread"),
    ]
    assert {r.service for r in records} == {"toy"}  # type: ignore[union-attr]
