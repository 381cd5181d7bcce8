"""A replay's position: written atomically per published bar, read back by the same replay only."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from data_core.replay import make_replay
from data_core.replay.position import ReplayPosition, position_path
from market_store.store import CandleStore
from tests.data_paths import data_dir

HOUR = 3_600_000
ORIGIN = 1_679_270_400_000  # 2023-03-20 00:00 UTC
SYMBOLS = ("BTC/USDT", "ETH/USDT")


def _load(
    path: Path, origin_ms: int = ORIGIN, symbols: tuple[str, ...] = SYMBOLS
) -> ReplayPosition:
    return ReplayPosition.load(
        path, source="binance", timeframe="1h", symbols=symbols, origin_ms=origin_ms
    )


def test_each_published_bar_is_recorded_and_read_back(tmp_path: Path) -> None:
    path = position_path(tmp_path)
    position = _load(path)
    assert position.resume_ms() == ORIGIN  # nothing published yet
    position.published("BTC/USDT", ORIGIN + HOUR)
    assert _load(path).resume_ms() == ORIGIN  # ETH has published nothing: from the start
    position.published("ETH/USDT", ORIGIN + HOUR)
    position.published("BTC/USDT", ORIGIN + 2 * HOUR)
    again = _load(path)
    assert again.resume_ms() == ORIGIN + HOUR  # after the least advanced symbol
    assert again.last_close_ms("BTC/USDT") == ORIGIN + 2 * HOUR  # BTC skips its 02:00 bar
    assert again.last_close_ms("ETH/USDT") == ORIGIN + HOUR
    assert [p.name for p in path.parent.iterdir()] == ["replay.json"]  # no temporary left
    again.finished()
    assert not path.exists()
    assert _load(path).resume_ms() == ORIGIN


def test_another_replays_or_a_broken_file_starts_from_the_beginning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = position_path(tmp_path)
    _load(path).published("BTC/USDT", ORIGIN + 5 * HOUR)
    assert _load(path, origin_ms=ORIGIN - HOUR).closes == {}  # another start
    assert _load(path, symbols=("BTC/USDT",)).closes == {}  # other symbols
    path.write_text("{not json")
    caplog.set_level(logging.WARNING)
    assert _load(path).closes == {}
    assert "unreadable" in caplog.text
    path.write_text(json.dumps({"replay": _load(path).identity, "closes": {"BTC/USDT": "x"}}))
    assert _load(path).closes == {}


def test_make_replay_starts_the_clock_after_the_recorded_bars(tmp_path: Path) -> None:
    with CandleStore(tmp_path / "candles.sqlite") as store:
        path = tmp_path / "p.json"
        fresh = make_replay(
            store, SYMBOLS, "1h", data_dir=data_dir(), start_ms=ORIGIN, position_file=path
        )
        assert fresh.clock.now_ms() == ORIGIN
        assert fresh.position is not None
        fresh.position.published("BTC/USDT", ORIGIN + 3 * HOUR)
        fresh.position.published("ETH/USDT", ORIGIN + 2 * HOUR)
        resumed = make_replay(store, SYMBOLS, "1h", start_ms=ORIGIN, position_file=path)
        assert resumed.clock.now_ms() == ORIGIN + 2 * HOUR
        assert make_replay(store, SYMBOLS, "1h", start_ms=ORIGIN).clock.now_ms() == ORIGIN
