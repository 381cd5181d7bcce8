"""Build exec_core's objects from its settings (called from `__main__` only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from exec_core.brokers import (
    Broker,
    CcxtBroker,
    CcxtTradingClient,
    PaperBroker,
    is_armed,
)
from exec_core.engine import ExecEngine
from exec_core.errors import OperationalError
from exec_core.ledger import Ledger
from exec_core.persistence import DecisionStore
from exec_core.portfolio import LedgerBook
from exec_core.risk import RiskState
from exec_core.service import ExecCoreService
from exec_core.settings import ExecCoreSettings
from service_runtime import ServiceMetrics, UpstreamWatch, upstream_client_settings
from signal_bus import BusClient
from signal_schema import topics

INPUT_TOPICS = {
    "model_engine": [topics.SIGNAL_EMITTED, topics.SYSTEM_HEARTBEAT],
    "data_core": [topics.MARKET_BAR],
    "alert_system": [topics.APPROVAL_DECIDED, topics.RISK_KILL_SWITCH_SET],
}
"""What exec_core consumes from each upstream bus.

alert_system's two command topics are the Telegram path: alert_system admits only its
allow-listed chats. They are handled by `ExecEngine.on_telegram`, which sets the audit
channel itself; commands from any other upstream are ignored (`ExecEngine.on_envelope`).
"""


def wall_clock() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def open_ledger(settings: ExecCoreSettings) -> Ledger:
    """Open (and migrate) the ledger the settings name; SQLite under NTX_HOME by default."""
    section = settings.ledger
    return Ledger.open(
        section.database_url(settings.home),
        quote_currency=section.quote_currency,
        trade_log_dir=section.trade_log_dir(settings.home),
    )


def build_broker(settings: ExecCoreSettings) -> Broker:
    """Return the paper broker, or the live ccxt broker (armed per NTX_HOME's record).

    Raises
    ------
    OperationalError
        Live trading without API keys.
    """
    quote = settings.ledger.quote_currency
    if settings.broker == "paper":
        return PaperBroker(
            settings.paper,
            venue="paper",
            quote_currency=quote,
            allow_short=settings.positions.allow_short,
        )
    live = settings.live
    if not live.has_keys:
        raise OperationalError("EXEC_CORE__BROKER=live needs EXEC_CORE__LIVE__API_KEY/API_SECRET")
    key = live.api_key.get_secret_value()
    client = CcxtTradingClient(
        live.exchange,
        api_key=key,
        api_secret=live.api_secret.get_secret_value(),
        testnet=live.testnet,
        rest_url=live.rest_url,
        timeout_ms=live.timeout_ms,
    )
    venue = settings.venue()
    return CcxtBroker(client, live, venue=venue, armed=is_armed(settings.home, venue, key))


def build_engine(
    settings: ExecCoreSettings, clock: Callable[[], datetime] = wall_clock
) -> ExecEngine:
    """Return the engine on the ledger (decisions share its database) with `clock`."""
    settings.home.mkdir(parents=True, exist_ok=True)
    ledger = open_ledger(settings)
    store = DecisionStore(ledger.engine)
    state = RiskState(settings.risk, LedgerBook(ledger))
    return ExecEngine(settings, store, state, ledger, build_broker(settings), clock)


def build_service(settings: ExecCoreSettings) -> ExecCoreService:
    """Return exec_core's service: ledger, store, risk state, broker, engine and inputs."""
    engine = build_engine(settings)
    metrics = ServiceMetrics()
    clients = upstream_client_settings(
        settings.upstream, settings.bus_token, max_frame_bytes=settings.bus.max_frame_bytes
    )
    inputs = {
        name: UpstreamWatch(
            f"{name}-input",
            BusClient(client, INPUT_TOPICS[name], metrics=metrics.bus),
            on_envelope=engine.on_telegram if name == "alert_system" else engine.on_envelope,
        )
        for name, client in clients.items()
    }
    model_watch = inputs["model_engine"]
    engine.state.heartbeat_probe = lambda: model_watch.health()["last_heartbeat_age_secs"]
    return ExecCoreService(engine, inputs, metrics)
