"""`python -m data_core` replaying real recordings: bars, gaps, features and news on its bus."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from signal_bus import BusClient, BusClientSettings
from signal_schema import Bar, Envelope, FeatureFrame, GapDetected, NewsItem
from tests.data_paths import data_dir
from tests.integration.services.processes import (
    AUTH,
    TOKEN,
    ServiceProcess,
    free_port,
    metric_value,
    service_env,
)

SPEED = "x36000"  # ten 1h bars per second per symbol


@pytest.fixture
async def replay(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[ServiceProcess]:
    """data_core replaying from the `replay_start` marker's time; stopped after the test."""
    start = request.node.get_closest_marker("replay_start").args[0]
    env = service_env(
        "data_core", tmp_path, bus_port=free_port(), http_port=free_port(), upstream_urls={}
    )
    env |= {
        "NTX_DATA_DIR": str(data_dir()),
        "DATA_CORE__STREAMS__SYMBOLS": '["BTC/USDT","ETH/USDT"]',
        "DATA_CORE__STREAMS__REPLAY_START": start,
        "DATA_CORE__STREAMS__REPLAY_SPEED": SPEED,
        "DATA_CORE__NEWS__EMBEDDINGS": "false",
    }
    process = await ServiceProcess.start("data_core", env)
    await process.event("started")
    process.env = env  # type: ignore[attr-defined]
    yield process
    assert await process.stop() == 0


async def _collect(
    process: ServiceProcess, topics: list[str], until: type, count: int = 1
) -> list[Envelope]:
    port = process.env["DATA_CORE__BUS__PORT"]  # type: ignore[attr-defined]
    settings = BusClientSettings(url=f"ws://127.0.0.1:{port}/ws", token=SecretStr(TOKEN))
    got: list[Envelope] = []
    messages = BusClient(settings, topics).messages()
    async with asyncio.timeout(30):
        async for envelope in messages:
            got.append(envelope)
            if sum(isinstance(e.message, until) for e in got) >= count:
                break
    await messages.aclose()  # type: ignore[attr-defined]
    return got


@pytest.mark.replay_start("2023-03-23T20:00:00Z")
async def test_replay_publishes_bars_features_and_the_real_gap(replay: ServiceProcess) -> None:
    # Binance spot halted on 2023-03-24: 13:00 never traded, for either pair. The two streams
    # publish independently, so which gap comes first is not defined: wait for both.
    got = await _collect(replay, ["market.*"], until=GapDetected, count=2)
    gaps = {e.message.symbol: e.message for e in got if isinstance(e.message, GapDetected)}
    assert set(gaps) == {"BTC/USDT", "ETH/USDT"}
    for gap in gaps.values():
        assert gap.first_missing_open.isoformat() == "2023-03-24T13:00:00+00:00"
        assert gap.missing_bars == 1
    bars = [e.message for e in got if isinstance(e.message, Bar) and e.message.symbol == "BTC/USDT"]
    opens = [b.ts_open for b in bars]
    assert opens == sorted(opens)
    assert len(bars) >= 5
    frames = [e.message for e in got if isinstance(e.message, FeatureFrame)]
    assert frames
    assert all(f.warm for f in frames)  # warmed up on stored history before the first bar
    assert all(v is not None for f in frames for v in f.values)
    assert len(frames[0].names) >= 24


@pytest.mark.replay_start("2025-11-10T00:00:00Z")  # among the reddit posts
async def test_replay_publishes_recorded_news_into_the_features(replay: ServiceProcess) -> None:
    got = await _collect(replay, ["news.item", "market.features"], until=NewsItem, count=5)
    news = [e.message for e in got if isinstance(e.message, NewsItem)]
    assert all(n.sentiment_method == "vader" for n in news)
    assert any("BTC/USDT" in n.symbols for n in news)
    assert [n.ts_event for n in news] == sorted(n.ts_event for n in news)
    frames = [e.message for e in got if isinstance(e.message, FeatureFrame)]
    counts = [dict(zip(f.names, f.values, strict=True))["news_count_24h"] for f in frames]
    assert any(c and c > 0 for c in counts)
    port = replay.env["DATA_CORE__HTTP__PORT"]  # type: ignore[attr-defined]
    async with httpx.AsyncClient() as http:
        bars = await http.get(
            f"http://127.0.0.1:{port}/api/bars", params={"symbol": "BTC/USDT"}, headers=AUTH
        )
        metrics = await http.get(f"http://127.0.0.1:{port}/metrics")
    assert bars.status_code == 200
    history = [Bar.model_validate(b) for b in bars.json()]
    clock_secs = metric_value(metrics.text, "ntx_data_replay_clock_seconds")
    assert clock_secs is not None
    replay_now = datetime.fromtimestamp(clock_secs, UTC)
    assert history[-1].ts_event <= replay_now  # never a bar from the replay's future
    assert [b.ts_open for b in history] == sorted(b.ts_open for b in history)
