"""SIGKILL a replaying `python -m data_core` and restart it: the replay resumes where it stopped.

Before, the restarted replay began again at its start (replay time jumped back). Now each
published bar is recorded in NTX_HOME (`data_core.replay.position`), and the restart publishes
each symbol's next bar first. One subscriber follows the bus across the restart (it reconnects
to the same port, quickly), so it sees the first bar the new process publishes.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from pydantic import SecretStr

from data_core.clock import ms_to_utc
from data_core.replay.position import position_path
from signal_bus import BusClient, BusClientSettings
from signal_schema import Bar
from tests.data_paths import data_dir
from tests.integration.services.processes import TOKEN, ServiceProcess, free_port, service_env

SYMBOLS = ("BTC/USDT", "ETH/USDT")
START = "2023-03-20T00:00:00Z"


class Bars:
    """Bars from data_core's bus, each with the subscription (1: first process) it came on."""

    def __init__(self, client: BusClient) -> None:
        self.client = client
        self.got: list[tuple[int, Bar]] = []
        self._changed = asyncio.Event()

    async def follow(self) -> None:
        async for envelope in self.client.messages():
            if isinstance(envelope.message, Bar):
                self.got.append((self.client.connections, envelope.message))
                self._changed.set()

    def of(self, connection: int) -> list[Bar]:
        return [bar for n, bar in self.got if n == connection]

    async def until(self, connection: int, per_symbol: int, within_secs: float = 30) -> None:
        async with asyncio.timeout(within_secs):
            while any(
                sum(b.symbol == s for b in self.of(connection)) < per_symbol for s in SYMBOLS
            ):
                self._changed.clear()
                await self._changed.wait()


async def test_a_sigkilled_replay_resumes_after_its_last_published_bar(tmp_path: Path) -> None:
    bus_port = free_port()
    env = service_env(
        "data_core", tmp_path, bus_port=bus_port, http_port=free_port(), upstream_urls={}
    )
    env |= {
        "NTX_DATA_DIR": str(data_dir()),
        "DATA_CORE__STREAMS__SYMBOLS": json.dumps(SYMBOLS),
        "DATA_CORE__STREAMS__REPLAY_START": START,
        "DATA_CORE__STREAMS__REPLAY_SPEED": "x1800",  # one 1h bar every 2 s
        "DATA_CORE__NEWS__EMBEDDINGS": "false",
    }
    settings = BusClientSettings(
        url=f"ws://127.0.0.1:{bus_port}/ws",
        token=SecretStr(TOKEN),
        backoff_initial_secs=0.02,
        backoff_max_secs=0.05,  # back on the new process's bus long before its first bar
    )
    bars = Bars(BusClient(settings, ["market.bar"]))
    follower = asyncio.create_task(bars.follow())
    first = await ServiceProcess.start("data_core", env)
    second: ServiceProcess | None = None
    try:
        await bars.until(1, per_symbol=2)
        first.process.kill()  # SIGKILL: no cleanup at all
        await first.process.wait()
        before = bars.of(1)
        stored = json.loads(position_path(tmp_path).read_text())["closes"]
        assert set(stored) == set(SYMBOLS)
        second = await ServiceProcess.start("data_core", env)
        resumed = await second.event("replay_resumed")
        assert resumed["resume_ms"] == min(stored.values())
        await bars.until(2, per_symbol=2)
        after = bars.of(2)
        for symbol in SYMBOLS:
            seen = [b for b in before if b.symbol == symbol]
            nxt = [b for b in after if b.symbol == symbol]
            # Each symbol's first bar after the restart is the one after its recorded bar...
            assert nxt[0].ts_open == ms_to_utc(stored[symbol])
            # ...which is at most one bar before the last one seen (published, not yet recorded)
            assert nxt[0].ts_open >= seen[-1].ts_open
            assert [b.ts_open for b in nxt] == sorted({b.ts_open for b in nxt})
        assert second.process.returncode is None
    finally:
        follower.cancel()
        await first.kill()
        if second is not None:
            assert await second.stop() == 0
