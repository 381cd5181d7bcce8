"""exec_core's domain as its host sees it: HTTP routes, status, health and its loops."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from exec_core import NAME
from exec_core.api import risk_router
from exec_core.books_api import books_router
from exec_core.engine import ExecEngine
from service_runtime import HeartbeatStatus, UpstreamWatch, Worker, info_router, package_version
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
    expiry_secs
        How often pending approvals are checked against their deadline.
    """

    name = NAME

    def __init__(
        self, engine: ExecEngine, inputs: Mapping[str, UpstreamWatch], expiry_secs: float = 1.0
    ) -> None:
        self.engine = engine
        self.inputs = dict(inputs)
        self.version = package_version()
        self._expiry_secs = expiry_secs
        self._router = APIRouter()
        self._router.include_router(risk_router(engine, engine.settings.bus_token))
        self._router.include_router(books_router(engine.trader))
        self._router.include_router(info_router(NAME, self.version))

    def router(self) -> APIRouter:
        """Return risk, kill, approvals, positions, orders, portfolio and info routes."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``halted`` (kill switch), ``degraded`` (books and venue disagree) or ``ok``."""
        if self.engine.state.kill.engaged:
            return "halted"
        return "degraded" if self.engine.trader.halted is not None else "ok"

    def health(self) -> dict[str, Any]:
        """Return the pipeline's counters and the kill switch for ``/healthz``."""
        return {
            "home": str(self.engine.settings.home),
            "counts": dict(self.engine.counts),
            "kill_switch": self.engine.state.kill.engaged,
            "trading": {
                "ready": self.engine.trader.ready.is_set(),
                "halted": self.engine.trader.halted,
            },
            "inputs": {name: w.health() for name, w in self.inputs.items()},
        }

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
