"""exec_core's side: the real engine (validation, risk gate, approvals, paper broker, ledger)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import SecretStr

from exec_core.brokers import PaperBroker
from exec_core.engine import Clock, ExecEngine
from exec_core.ledger import Ledger
from exec_core.persistence import DecisionStore
from exec_core.portfolio import LedgerBook
from exec_core.risk import RiskState
from exec_core.settings import ExecCoreSettings
from neurotradex.backtest.config import BacktestConfig
from signal_schema import Envelope, OrderFilled, RiskDecision, SubmitOrder
from signal_schema.portfolio import PortfolioSnapshot


@dataclass
class Recorder:
    """An in-memory bus for exec_core: counts every message, keeps fills and the equity curve.

    The curve keeps the last `PortfolioSnapshot` of each bar close: it comes after every
    symbol's bar of that close was marked and filled.
    """

    counts: Counter[str] = field(default_factory=Counter)
    orders: list[SubmitOrder] = field(default_factory=list)
    fills: list[OrderFilled] = field(default_factory=list)
    equity: dict[int, PortfolioSnapshot] = field(default_factory=dict)

    async def publish(self, envelope: Envelope) -> None:
        """Record one message."""
        message = envelope.message
        self.counts[message.type] += 1
        if isinstance(message, PortfolioSnapshot):
            self.equity[int(message.ts_event.timestamp() * 1000)] = message
        elif isinstance(message, OrderFilled):
            self.fills.append(message)
        elif isinstance(message, SubmitOrder):
            self.orders.append(message)
        elif isinstance(message, RiskDecision):
            self.counts["accepted" if message.accepted else "refused"] += 1


def exec_settings(config: BacktestConfig) -> ExecCoreSettings:
    """Return exec_core's settings from the environment, fixed for a backtest.

    Market-time validation, auto approval, the paper broker, the backtest's symbols, and its
    ledger under ``<out>/exec_core/``; risk limits, fees and slippage stay as configured.
    """
    base = ExecCoreSettings.model_validate(
        {"NTX_HOME": str(config.out), "NTX_BUS_TOKEN": SecretStr("backtest-in-process")}
    )
    validation: dict[str, object] = {"clock": "market", "symbols": config.symbols}
    if config.min_confidence is not None:
        validation["min_confidence"] = config.min_confidence
    paper = {} if config.start_cash is None else {"start_cash": Decimal(config.start_cash)}
    return base.model_copy(
        update={
            "broker": "paper",
            "validation": base.validation.model_copy(update=validation),
            "approval": base.approval.model_copy(update={"mode": "auto"}),
            "positions": base.positions.model_copy(update={"pairlist": config.symbols}),
            "paper": base.paper.model_copy(update=paper),
            "ledger": base.ledger.model_copy(update={"url": ""}),
        }
    )


def build_exec(settings: ExecCoreSettings, clock: Clock, bus: Recorder) -> ExecEngine:
    """Return exec_core's engine as `exec_core.build.build_engine` wires it, on `clock`.

    The paper broker gets `clock` too, and model_engine's heartbeat is always fresh: it runs
    in this process, in lockstep.
    """
    home: Path = settings.home
    home.mkdir(parents=True, exist_ok=True)
    section = settings.ledger
    ledger = Ledger.open(
        section.database_url(home),
        quote_currency=section.quote_currency,
        trade_log_dir=section.trade_log_dir(home),
        durable=False,
    )
    state = RiskState(settings.risk, LedgerBook(ledger))
    state.heartbeat_probe = lambda: 0.0
    broker = PaperBroker(
        settings.paper,
        venue="paper",
        quote_currency=settings.ledger.quote_currency,
        allow_short=settings.positions.allow_short,
        clock=clock,
    )
    engine = ExecEngine(settings, DecisionStore(ledger.engine), state, ledger, broker, clock)
    engine.attach(bus)
    return engine
