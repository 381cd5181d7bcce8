"""An exec_core engine on a temporary SQLite file, an in-memory bus and a settable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pydantic import SecretStr

from exec_core.engine import ExecEngine
from exec_core.paper_stand_in import InstantPaperBroker
from exec_core.persistence import DecisionStore
from exec_core.persistence.store import make_engine
from exec_core.risk import RiskBook, RiskState
from exec_core.settings import ApprovalSection, ExecCoreSettings
from signal_bus import InMemoryBus, InMemorySubscription
from tests import schema_factories as f


@dataclass
class Clock:
    """A settable UTC clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Rig:
    """The engine and what a test looks at."""

    engine: ExecEngine
    clock: Clock
    out: InMemorySubscription


async def make_rig(home: Path, mode: str = "auto") -> Rig:
    """Return an engine whose book is marked at the golden bar and heartbeat fresh."""
    settings = ExecCoreSettings.model_validate(
        {"NTX_BUS_TOKEN": SecretStr("t"), "NTX_HOME": home,
         "approval": ApprovalSection(mode=mode, timeout_secs=60)}  # type: ignore[arg-type]
    )  # fmt: skip
    clock = Clock(f.at(5))
    store = DecisionStore(make_engine(settings.db_url()))
    state = RiskState(settings.risk, RiskBook(Decimal(10_000)))
    engine = ExecEngine(settings, store, state, InstantPaperBroker(clock, "USDT"), clock)
    bus = InMemoryBus()
    out = bus.subscribe(["*"])
    engine.attach(bus)
    await engine.on_bar(f.bar())
    state.heartbeat_at = clock.now
    return Rig(engine, clock, out)


def drain(out: InMemorySubscription) -> list[str]:
    """Return the types of every queued message."""
    types: list[str] = []
    while (envelope := out.get_nowait()) is not None:
        types.append(envelope.message.type)
    return types
