"""An exec_core engine on a temporary SQLite ledger, an in-memory bus and a settable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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


async def make_rig(home: Path, mode: str = "auto") -> Rig:
    """Return a started engine marked at the golden bar with a fresh heartbeat."""
    settings = ExecCoreSettings.model_validate(
        {"NTX_BUS_TOKEN": SecretStr("t"), "NTX_HOME": home,
         "approval": ApprovalSection(mode=mode, timeout_secs=60)}  # type: ignore[arg-type]
    )  # fmt: skip
    clock = Clock(f.at(5))
    engine = build_engine(settings, clock)
    bus = InMemoryBus()
    out = bus.subscribe(["*"])
    engine.attach(bus)
    await engine.trader.start()
    await engine.on_bar(f.bar())
    engine.state.heartbeat_at = clock.now
    return Rig(engine, clock, out, real_bars(f.BAR_CLOSE, 6))


def drain(out: InMemorySubscription) -> list[str]:
    """Return the types of every queued message."""
    types: list[str] = []
    while (envelope := out.get_nowait()) is not None:
        types.append(envelope.message.type)
    return types
