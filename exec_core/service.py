"""exec_core's domain as its host sees it: HTTP routes, status, metrics and its loops."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from fastapi import APIRouter

from exec_core import NAME
from exec_core.api import risk_router
from exec_core.books_api import books_router
from exec_core.engine import ExecEngine
from service_runtime import (
    HeartbeatStatus,
    ServiceMetrics,
    UpstreamWatch,
    Worker,
    info_router,
    package_version,
)
from signal_bus import Publisher

log = logging.getLogger(__name__)


class ExecCoreService:
    """Signals in; risk decisions, approvals and orders out on its bus.

    Parameters
    ----------
    engine
        The validation → risk → approval → broker pipeline.
    inputs
        One watch per upstream bus, each handing its envelopes to the engine.
    metrics
        The service's registry; decisions, broker events and the kill switch are added here.
    expiry_secs
        How often pending approvals are checked against their deadline.
    """

    name = NAME

    def __init__(
        self,
        engine: ExecEngine,
        inputs: Mapping[str, UpstreamWatch],
        metrics: ServiceMetrics,
        expiry_secs: float = 1.0,
    ) -> None:
        self.engine = engine
        self.inputs = dict(inputs)
        self.metrics = metrics
        self.version = package_version()
        self._expiry_secs = expiry_secs
        self._router = APIRouter()
        self._router.include_router(risk_router(engine, engine.settings.bus_token))
        self._router.include_router(books_router(engine.trader))
        self._router.include_router(info_router(NAME, self.version))
        self._register_metrics()

    def _register_metrics(self) -> None:
        add, engine, trader = self.metrics.sampled, self.engine, self.engine.trader
        counts = engine.counts
        add("counter", "ntx_exec_signals", "Signals received", lambda: {(): counts["signals"]})
        add(
            "counter",
            "ntx_exec_decisions",
            "Risk decisions by outcome (duplicate: a signal decided before)",
            lambda: {
                ("accepted",): counts["accepted"],
                ("refused",): counts["refused"],
                ("duplicate",): counts["duplicates"],
            },
            ["outcome"],
        )
        add(
            "counter",
            "ntx_exec_broker_events",
            "Broker events applied to the ledger (OrderFilled: fills; OrderRejected: rejects)",
            lambda: {(kind,): n for kind, n in trader.broker_events.items()},
            ["type"],
        )
        add(
            "gauge",
            "ntx_exec_kill_switch",
            "1 while engaged",
            lambda: {(): engine.state.kill.engaged},
        )
        add(
            "gauge",
            "ntx_exec_trading_ready",
            "1 once reconciled",
            lambda: {(): trader.ready.is_set()},
        )
        add(
            "gauge",
            "ntx_exec_trading_halted",
            "1 while halted",
            lambda: {(): trader.halted is not None},
        )
        add(
            "gauge",
            "ntx_exec_input_connected",
            "1 while subscribed to the upstream",
            lambda: {(name,): w.connected for name, w in self.inputs.items()},
            ["upstream"],
        )

    def router(self) -> APIRouter:
        """Return risk, kill, approvals, positions, orders, portfolio and info routes."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``halted`` (kill switch), ``degraded`` (books and venue disagree) or ``ok``."""
        if self.engine.state.kill.engaged:
            return "halted"
        return "degraded" if self.engine.trader.halted is not None else "ok"

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the consumers, and start (reconciliation, unsent decisions) then expiry.

        Orders and bars wait (`Trader.ready`) until the ledger and the broker are reconciled;
        `ExecEngine.start` then sends or expires accepted decisions a crash left unsent.
        """
        self.engine.attach(bus)
        loops: dict[str, Worker] = {f"input-{n}": w.run() for n, w in self.inputs.items()}
        loops["subscriptions"] = self._log_subscriptions()
        loops["reconcile-then-expiry"] = self._start_then_expire()
        return loops

    async def _start_then_expire(self) -> None:
        await self.engine.start()
        while True:
            await self.engine.expire()
            await asyncio.sleep(self._expiry_secs)

    async def _log_subscriptions(self) -> None:
        async with asyncio.TaskGroup() as group:
            for name, watch in self.inputs.items():
                group.create_task(self._announce(name, watch))

    @staticmethod
    async def _announce(name: str, watch: UpstreamWatch) -> None:
        count = 0
        while True:
            count += 1
            await watch.client.wait_connected(count)
            log.info(
                "subscribed to %s", name, extra={"event": "input_subscribed", "upstream": name}
            )
