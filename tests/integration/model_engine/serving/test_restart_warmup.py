"""SIGKILL a real model_engine and restart it: it signals on the first live bar after.

A stand-in data_core bus publishes the frames data_core's own pipeline makes from the recorded
candles; the candle store in NTX_HOME holds those candles, as data_core keeps them. The
restarted process warms its windows from the store, so the first frame it sees after the
restart gets a signal; a frame older than a window's last bar is dropped and counted.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pydantic import SecretStr

from data_core.features import FeatureStream
from data_core.pipeline import MarketPipeline
from feature_spec import DEFAULT_SPEC
from market_store.candles import MarketKey
from market_store.imports import ensure_imported
from market_store.paths import candle_db_path
from market_store.store import CandleStore
from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_schema import Envelope, FeatureFrame, Signal, topics
from tests.data_paths import data_dir
from tests.integration.services.processes import (
    TOKEN,
    ServiceProcess,
    free_port,
    metric_value,
    service_env,
)
from tests.unit.model_engine.explain.tiny import tiny_artifact

SYMBOLS = ("BTC/USDT", "ETH/USDT")
START_MS = int(datetime(2023, 3, 20, tzinfo=UTC).timestamp() * 1000)
BARS = 8


def _frames(home: Path) -> dict[int, list[FeatureFrame]]:
    """Import the recordings into `home`'s store; return data_core's frames per bar."""
    out: dict[int, list[FeatureFrame]] = {n: [] for n in range(BARS)}
    with CandleStore(candle_db_path(home)) as store:
        for symbol in SYMBOLS:
            key = MarketKey("binance", symbol, "1h")
            ensure_imported(store, data_dir(), key)
            features = FeatureStream(DEFAULT_SPEC, MarketKey("replay", symbol, "1h"))
            history = store.read_arrays(key, end_ms=START_MS - key.timeframe_ms + 1, last=1020)
            features.warm_up(history)
            pipeline = MarketPipeline(features, None, lambda: datetime.now(UTC))
            for n, candle in enumerate(store.read(key, START_MS, limit=BARS)):
                (frame,) = [m for m in pipeline.on_candle(candle) if isinstance(m, FeatureFrame)]
                out[n].append(frame)
    assert all(f.warm for bar in out.values() for f in bar)
    return out


class Signals:
    """Signals model_engine publishes, followed from its bus."""

    def __init__(self) -> None:
        self.got: list[Signal] = []
        self._changed = asyncio.Event()

    async def follow(self, client: BusClient) -> None:
        async for envelope in client.messages():
            if isinstance(envelope.message, Signal):
                self.got.append(envelope.message)
                self._changed.set()

    async def of_bar(self, frames: list[FeatureFrame], within_secs: float = 30) -> list[Signal]:
        """Wait for one signal per frame of a bar; return them."""
        ts = frames[0].ts_event
        async with asyncio.timeout(within_secs):
            while len(got := [s for s in self.got if s.ts_event == ts]) < len(frames):
                self._changed.clear()
                await self._changed.wait()
        return got


@contextlib.asynccontextmanager
async def _model_engine(env: dict[str, str]) -> AsyncIterator[tuple[ServiceProcess, Signals]]:
    process = await ServiceProcess.start("model_engine", env)
    signals = Signals()
    url = f"ws://127.0.0.1:{env['MODEL_ENGINE__BUS__PORT']}/ws"
    client = BusClient(BusClientSettings(url=url, token=SecretStr(TOKEN)), [topics.SIGNAL_EMITTED])
    follower = asyncio.create_task(signals.follow(client))
    try:
        await process.event("input_subscribed", upstream="data_core")
        async with asyncio.timeout(30):
            await client.wait_connected()
        yield process, signals
    finally:
        follower.cancel()
        await process.kill()


def _publish(upstream: BusServer, frames: list[FeatureFrame]) -> None:
    for frame in frames:
        upstream.publish_nowait(Envelope.of(frame))


async def test_a_sigkilled_model_engine_signals_on_the_first_live_bar_after_restart(
    tmp_path: Path,
) -> None:
    tiny_artifact(tmp_path)
    frames = _frames(tmp_path)
    settings = BusServerSettings(port=free_port(), tokens=(SecretStr(TOKEN),))
    async with BusServer(settings, service="data_core") as upstream:
        http_port = free_port()
        env = service_env(
            "model_engine",
            tmp_path,
            bus_port=free_port(),
            http_port=http_port,
            upstream_urls={"data_core": upstream.url},
        )
        env |= {"MODEL_ENGINE__SERVING__RELOAD_SECS": "0", "MODEL_ENGINE__LOG__LEVEL": "INFO"}
        async with _model_engine(env) as (first, signals):
            for n in range(4):
                _publish(upstream, frames[n])
            await signals.of_bar(frames[3])
            first.process.kill()  # SIGKILL: no cleanup at all
            await first.process.wait()
        async with _model_engine(env) as (second, signals):
            _publish(upstream, frames[5])  # the first live bar after the restart
            got = await signals.of_bar(frames[5])
            assert {s.symbol for s in got} == set(SYMBOLS)
            for symbol in SYMBOLS:
                await second.event("window_warmed", stream=f"replay:{symbol}:1h", rows=8)
            _publish(upstream, frames[2])  # older than the windows' last bar: dropped, counted
            _publish(upstream, frames[6])
            await signals.of_bar(frames[6])
            assert not [s for s in signals.got if s.ts_event == frames[2][0].ts_event]
            async with httpx.AsyncClient() as http:
                metrics = (await http.get(f"http://127.0.0.1:{http_port}/metrics")).text
            assert metric_value(metrics, "ntx_model_frames_stale_total") == len(SYMBOLS)
            assert second.process.returncode is None
