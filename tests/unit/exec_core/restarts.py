"""Engines that die and restart on the same home: a position on real bars, an unsent decision.

A crash is the ledger closed with nothing flushed or saved on the way out; the restart is a
new engine (`make_rig`) on the same home and settings.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from exec_core.decision import client_order_id, decide_signal, horizon_end
from exec_core.persistence import Route
from signal_schema import Bar, Signal
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import Rig, make_rig
from tests.unit.exec_core.real_bars import real_bars

BARS = real_bars(f.BAR_CLOSE, 8)
"""The real bars after the golden one: closes 02:00 ... 09:00 on 2024-01-01."""
SIGNAL = f.signal()
ORDER_ID = client_order_id(SIGNAL.signal_id)
EXPIRES = horizon_end(SIGNAL.ts_event, SIGNAL.timeframe, SIGNAL.horizon_bars)


def signal_on(bar: Bar, signal_id: str) -> Signal:
    """Return the golden long signal re-dated to `bar`'s close, at its close price."""
    return f.rebuild(
        SIGNAL, signal_id=signal_id, ts_event=bar.ts_event, ts_init=bar.ts_event,
        price=bar.close,
    )  # fmt: skip


def at(rig: Rig, bar: Bar) -> None:
    """Move the clock (and model_engine's heartbeat) to 5 s after `bar`'s close."""
    rig.clock.now = rig.engine.state.heartbeat_at = bar.ts_event + timedelta(seconds=5)


def crash(rig: Rig) -> None:
    """Drop the engine as a SIGKILL would: nothing is flushed or saved on the way out."""
    rig.engine.ledger.close()


async def bought_and_held(home: Path, bars: int, **sections: Any) -> Rig:
    """Buy on the golden signal, then run `bars` real bars (the fill comes on the first)."""
    rig = await make_rig(home, **sections)
    decision = await rig.engine.on_signal(SIGNAL)
    assert decision is not None
    assert decision.accepted
    for bar in BARS[:bars]:
        await rig.engine.on_bar(bar)
    return rig


async def decided_then_crashed(home: Path, **sections: Any) -> None:
    """Accept and persist the golden signal's decision as the engine does, then die unrouted.

    What is committed is exactly what `ExecEngine` commits before it routes a decision
    (claim, decision and route in one `DecisionStore.record_decisions`).
    """
    rig = await make_rig(home, **sections)
    engine = rig.engine
    decision = decide_signal(SIGNAL, engine.now(), engine.settings, engine.state, engine.trader)
    assert decision.accepted
    route = Route(SIGNAL.signal_id, "auto", SIGNAL.model.name, SIGNAL.ts_event, EXPIRES)
    assert engine.store.record_decisions([decision], engine.now(), routes=[route]) == [True]
    assert engine.ledger.order(ORDER_ID) is None
    crash(rig)
