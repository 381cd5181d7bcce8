"""Build exec_core's objects from its settings (called from `__main__` only)."""

from __future__ import annotations

from datetime import UTC, datetime

from exec_core.engine import ExecEngine
from exec_core.paper_stand_in import InstantPaperBroker
from exec_core.persistence import DecisionStore
from exec_core.persistence.store import make_engine
from exec_core.risk import RiskBook, RiskState
from exec_core.service import ExecCoreService
from exec_core.settings import ExecCoreSettings
from service_runtime import UpstreamWatch, upstream_client_settings
from signal_bus import BusClient
from signal_schema import topics

INPUT_TOPICS = {
    "model_engine": [topics.SIGNAL_EMITTED, topics.SYSTEM_HEARTBEAT],
    "data_core": [topics.MARKET_BAR],
    "alert_system": [topics.APPROVAL_DECIDED, topics.RISK_KILL_SWITCH_SET],
}
"""What exec_core consumes from each upstream bus."""

COMMAND_TOPICS = (topics.RISK_KILL_SWITCH_SET, topics.APPROVAL_DECIDED)


def wall_clock() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def build_service(settings: ExecCoreSettings) -> ExecCoreService:
    """Return exec_core's service: store, risk state, broker, engine and upstream inputs."""
    settings.home.mkdir(parents=True, exist_ok=True)
    store = DecisionStore(make_engine(settings.db_url()))
    state = RiskState(settings.risk, RiskBook(settings.paper.starting_cash))
    broker = InstantPaperBroker(wall_clock, settings.paper.currency)
    engine = ExecEngine(settings, store, state, broker, wall_clock)
    clients = upstream_client_settings(
        settings.upstream, settings.bus_token, max_frame_bytes=settings.bus.max_frame_bytes
    )
    inputs = {
        name: UpstreamWatch(
            f"{name}-input", BusClient(client, INPUT_TOPICS[name]), on_envelope=engine.on_envelope
        )
        for name, client in clients.items()
    }
    model_watch = inputs["model_engine"]
    state.heartbeat_probe = lambda: model_watch.health()["last_heartbeat_age_secs"]
    return ExecCoreService(engine, inputs)
