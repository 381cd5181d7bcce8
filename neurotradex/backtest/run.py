"""Run a backtest: the services' real objects in lockstep per bar close on a `SimClock`.

Per close time: every symbol's candle goes through its `MarketPipeline` (Bar, GapDetected,
FeatureFrame); the bars go to exec_core first (orders waiting since the previous close fill
at this bar's open, marks, exits, snapshots); then all frames are scored in one batch by
model_engine's `InferenceEngine` (one explained Signal each) and every signal is decided by
exec_core (validation → risk gate → auto approval → paper broker → ledger).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from data_core.clock import SimClock
from exec_core.engine import ExecEngine
from exec_core.ledger import Ledger, check_books, pnl
from model_engine.serving.engine import InferenceEngine
from neurotradex.backtest.config import BacktestConfig, BacktestError
from neurotradex.backtest.execution import Recorder, build_exec, exec_settings
from neurotradex.backtest.market import Market, load_market, open_store
from neurotradex.backtest.model import build_inference, trained_until_ms
from neurotradex.backtest.report import write_report


@dataclass
class BacktestResult:
    """The run's counts and timings; `report` is what ``--json`` prints."""

    report: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)


async def _replay(
    market: Market, model: InferenceEngine, engine: ExecEngine, clock: SimClock
) -> dict[str, int]:
    counts = {"bars": 0, "frames": 0, "signals": 0, "gaps": 0, "decisions": 0}
    with clock.join() as me:
        for step in market.steps():
            await me.sleep_until(step.close_ms)
            for bar in step.bars:
                await engine.on_bar(bar)
            scored = model.score(step.frames)
            if len(scored.signals) != len(step.frames) or len(step.frames) != len(step.bars):
                raise BacktestError(
                    f"close {step.close_ms}: {len(step.bars)} bars, {len(step.frames)} frames, "
                    f"{len(scored.signals)} signals: a message was dropped"
                )
            decided = await engine.on_signals(scored.signals)
            counts["decisions"] += sum(d is not None for d in decided)
            counts["bars"] += len(step.bars)
            counts["frames"] += len(step.frames)
            counts["signals"] += len(scored.signals)
            counts["gaps"] += len(step.gaps)
    return counts


async def run_backtest_async(config: BacktestConfig) -> BacktestResult:
    """Run `config` and write its files under ``config.out``; see the module docstring."""
    started = time.perf_counter()
    config.out.mkdir(parents=True, exist_ok=True)
    clock = SimClock(config.since_ms, "max")
    model = build_inference(config, clock.now)
    trained = time.perf_counter()
    until = trained_until_ms(model)
    if config.model is None and until is not None and until > config.since_ms:
        raise BacktestError(f"the model was trained on data up to {until}, after since")
    store = open_store(config.home)
    try:
        market, prefill = load_market(config, store, clock.now, model.registry.max_window)
    finally:
        store.close()
    for frame in prefill:
        model.windows.add(frame)
    settings = exec_settings(config)
    bus = Recorder()
    engine = build_exec(settings, clock.now, bus)
    try:
        await engine.start()
        loaded = time.perf_counter()
        counts = await _replay(market, model, engine, clock)
        replayed = time.perf_counter()
        summary = pnl(engine.ledger, engine.state.book.marks)
    finally:
        engine.ledger.close()
    if counts["bars"] != market.bars or counts["signals"] != counts["bars"]:
        raise BacktestError(f"{market.bars} candles in the interval but {counts}")
    persisted = Ledger.open(settings.ledger.database_url(settings.home))
    try:
        problems = check_books(persisted)
    finally:
        persisted.close()
    timings = {
        "train_or_load_s": trained - started,
        "load_s": loaded - trained,
        "replay_s": replayed - loaded,
        "wall_s": time.perf_counter() - started,
    }
    report = write_report(
        config, bus, summary, counts, timings,
        problems=problems, max_open_fed_ms=market.max_open_fed_ms,
        model=next(iter(model.registry.models.values())).bundle.path,
        start_cash=settings.paper.start_cash, imported=market.imported_rows,
    )  # fmt: skip
    return BacktestResult(report, counts)


def run_backtest(config: BacktestConfig) -> BacktestResult:
    """Run `config` to completion (see `run_backtest_async`)."""
    return asyncio.run(run_backtest_async(config))
