"""An exec_core engine on a temporary SQLite ledger, an in-memory bus and a settable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from exec_core.build import build_engine
from exec_core.engine import ExecEngine
from exec_core.settings import ApprovalSection, ExecCoreSettings
from signal_bus import InMemoryBus, InMemorySubscription
from signal_schema import Bar
from tests import schema_factories as f
from tests.unit.exec_core.real_bars import real_bars


@dataclass
class Clock:
    """A settable UTC clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Rig:
    """The engine, what a test looks at, and the real bars after the golden one."""

    engine: ExecEngine
    clock: Clock
    out: InMemorySubscription
    next_bars: list[Bar]


async def make_rig(
    home: Path, mode: str = "auto", *, bar: Bar | None = None, **sections: Any
) -> Rig:
    """Return a started engine marked at `bar` (the golden one) with a fresh heartbeat.

    The clock reads 5 s after `bar`'s close; `sections` override settings sections
    (``risk={"max_drawdown_pct": "0.02"}``). Called again on the same `home` it is the
    restart of the engine before it.
    """
    bar = f.bar() if bar is None else bar
    settings = ExecCoreSettings.model_validate(
        {"NTX_BUS_TOKEN": SecretStr("t"), "NTX_HOME": home,
         "approval": ApprovalSection(mode=mode, timeout_secs=60),  # type: ignore[arg-type]
         **sections}
    )  # fmt: skip
    clock = Clock(bar.ts_event + timedelta(seconds=5))
    engine = build_engine(settings, clock)
    bus = InMemoryBus()
    out = bus.subscribe(["*"])
    engine.attach(bus)
    await engine.start()
    await engine.on_bar(bar)
    engine.state.heartbeat_at = clock.now
    return Rig(engine, clock, out, real_bars(f.BAR_CLOSE, 6))


def drain(out: InMemorySubscription) -> list[str]:
    """Return the types of every queued message."""
    types: list[str] = []
    while (envelope := out.get_nowait()) is not None:
        types.append(envelope.message.type)
    return types
