"""data_core's market loop on a replay: it records each bar, resumes after it, clears at the end."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from data_core.build import build_market
from data_core.replay.position import position_path
from data_core.settings import DataCoreSettings
from signal_bus import InMemoryBus
from signal_schema import Bar, topics
from tests.data_paths import data_dir

HOUR = 3_600_000
START = datetime(2026, 5, 16, 14, tzinfo=UTC)  # the recording's last BTC/USDT bar opens at 18:00
START_MS = int(START.timestamp() * 1000)


async def _replay(home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Bar], bool]:
    """Run the replay to its end; return its bars and whether a position was kept meanwhile."""
    monkeypatch.setenv("NTX_HOME", str(home))
    monkeypatch.setenv("NTX_DATA_DIR", str(data_dir()))
    monkeypatch.setenv("NTX_BUS_TOKEN", "market-resume-token-0123456789")
    monkeypatch.setenv("DATA_CORE__STREAMS__SYMBOLS", '["BTC/USDT"]')
    monkeypatch.setenv("DATA_CORE__STREAMS__REPLAY_START", START.isoformat())
    monkeypatch.setenv("DATA_CORE__STREAMS__REPLAY_SPEED", "max")
    monkeypatch.setenv("DATA_CORE__NEWS__EMBEDDINGS", "false")
    market = build_market(DataCoreSettings.load())
    bus = InMemoryBus()
    bars = bus.subscribe([topics.MARKET_BAR])
    kept = []
    assert market.position is not None
    original = market.runner._after_publish
    assert original is not None

    def after(symbol: str, close_ms: int) -> None:
        original(symbol, close_ms)
        kept.append(json.loads(position_path(home).read_text())["closes"][symbol] == close_ms)

    market.runner._after_publish = after
    await asyncio.wait_for(market.run(bus), 60)
    got = []
    while (envelope := bars.get_nowait()) is not None:
        assert isinstance(envelope.message, Bar)
        got.append(envelope.message)
    return got, bool(kept) and all(kept)


async def test_a_replay_records_each_bar_resumes_after_it_and_clears_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bars, kept = await _replay(tmp_path, monkeypatch)
    assert [int(b.ts_open.timestamp() * 1000) for b in bars] == [
        START_MS + n * HOUR for n in range(5)
    ]
    assert kept  # after each bar the file held it
    assert not position_path(tmp_path).exists()  # played to its end: the next run starts over
    again, _ = await _replay(tmp_path, monkeypatch)
    assert [b.ts_open for b in again] == [b.ts_open for b in bars]  # from the start again
    # A run killed after its third bar left this file: the next run publishes the rest only.
    position = {
        "replay": {
            "format": 1,
            "source": "binance",
            "timeframe": "1h",
            "symbols": ["BTC/USDT"],
            "origin_ms": START_MS,
        },
        "closes": {"BTC/USDT": START_MS + 3 * HOUR},
    }
    position_path(tmp_path).write_text(json.dumps(position))
    rest, _ = await _replay(tmp_path, monkeypatch)
    assert [b.ts_open for b in rest] == [b.ts_open for b in bars[3:]]
