"""The pipeline: validation → risk gate → approval → broker; every decision persisted first."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import uuid4

from exec_core.approvals import ApprovalBook, why_card
from exec_core.commands import announce_breaches, on_command
from exec_core.persistence import DecisionStore
from exec_core.risk import RiskState, evaluate
from exec_core.settings import ExecCoreSettings
from exec_core.validation import ValidationContext, validate_signal
from signal_bus import Publisher
from signal_schema import (
    AnyMessage,
    ApprovalDecided,
    Bar,
    Envelope,
    Heartbeat,
    Message,
    OrderFilled,
    RiskDecision,
    Signal,
    SubmitOrder,
)
from signal_schema.primitives import Side

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class Broker(Protocol):
    """The plan's broker shape (``exec_core.brokers``): orders and bars in, events out."""

    async def submit(self, order: SubmitOrder) -> list[Message]:
        """Send `order`; return the events it caused."""
        ...

    async def on_bar(self, bar: Bar) -> list[Message]:
        """Let resting paper orders fill on `bar`; return the events."""
        ...


class ExecEngine:
    """Signals in; decisions, approvals and orders out (see the module docstring).

    Parameters
    ----------
    settings
        exec_core's settings (validation, approval and paper sections).
    store
        Seen signal ids, decisions, approvals and the kill-switch audit.
    state
        The risk gate's memory.
    broker
        Where accepted orders go.
    clock
        Wall clock (UTC); with ``validation.clock == "market"`` the newest bar close wins.
    """

    def __init__(
        self, settings: ExecCoreSettings, store: DecisionStore, state: RiskState,
        broker: Broker, clock: Clock,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.store = store
        self.state = state
        self.broker = broker
        self._wall = clock
        self._market_now: datetime | None = None
        self.approvals = ApprovalBook(store, self.now)
        self._bus: Publisher | None = None
        self._models: dict[str, str] = {}
        self.counts = {"signals": 0, "duplicates": 0, "accepted": 0, "refused": 0}
        self.breached: set[str] = set()
        self._restore_kill_switch()

    def attach(self, bus: Publisher) -> None:
        """Publish on `bus` from now on."""
        self._bus = bus

    def now(self) -> datetime:
        """Return the decision clock: wall time, or the newest bar close in market mode."""
        if self.settings.validation.clock == "market" and self._market_now is not None:
            return self._market_now
        return self._wall()

    async def publish(self, message: AnyMessage, correlation_id: str | None = None) -> None:
        """Publish `message` on its topic (dropped with a warning before `attach`)."""
        if self._bus is None:
            log.warning("no bus attached: %s not published", message.type)
            return
        await self._bus.publish(Envelope.of(message, correlation_id))

    async def on_envelope(self, envelope: Envelope) -> None:
        """Route one upstream envelope (signal, bar, heartbeat, command)."""
        message = envelope.message
        if isinstance(message, Signal):
            await self.on_signal(message)
        elif isinstance(message, Bar):
            await self.on_bar(message)
        elif isinstance(message, Heartbeat) and message.service == "model_engine":
            self.state.heartbeat_at = self.now()
        elif isinstance(message, ApprovalDecided):
            await self.decide(
                message.approval_id, approved=message.approved, by=message.decided_by,
                channel=message.channel, reason=message.reason,
            )  # fmt: skip
        else:
            await on_command(self, message)

    async def on_signal(self, signal: Signal) -> RiskDecision | None:
        """Decide on `signal` once; a duplicate id is logged and ignored (None)."""
        now = self.now()
        self.counts["signals"] += 1
        if not self.store.claim_signal(signal.signal_id, now):
            self.counts["duplicates"] += 1
            log.info(
                "duplicate signal %s ignored",
                signal.signal_id,
                extra={"event": "signal_duplicate", "signal_id": signal.signal_id},
            )
            return None
        decision = self._decide(signal, now)
        self.store.save_decision(decision)
        self.counts["accepted" if decision.accepted else "refused"] += 1
        log.info("signal %s %s", signal.signal_id, "accepted" if decision.accepted else "refused",
                 extra={"event": "risk_decision", "signal_id": signal.signal_id,
                        "accepted": decision.accepted})  # fmt: skip
        await self.publish(decision)
        if decision.accepted and decision.side is not None:
            await self._route(signal, decision, decision.side)
        return decision

    def _decide(self, signal: Signal, now: datetime) -> RiskDecision:
        v = self.settings.validation
        ctx = ValidationContext(
            now=now, max_age_secs=v.max_signal_age_secs, min_confidence=v.min_confidence,
            max_ood_score=v.max_ood_score, models=frozenset(v.models),
            symbols=frozenset(v.symbols),
        )  # fmt: skip
        verdicts = validate_signal(signal, ctx)
        entry = signal.direction == "up"
        risk = self.state.context(
            now, entry=entry, symbol=signal.symbol, model=signal.model.name,
            confidence=signal.confidence, price=signal.price,
        )  # fmt: skip
        result = evaluate(risk, self.settings.risk, v.min_confidence)
        accepted = all(x.passed for x in verdicts) and result.accepted
        side: Side | None = ("buy" if entry else "sell") if accepted else None
        return RiskDecision(
            ts_event=now, ts_init=now, decision_id=f"dec-{signal.signal_id}",
            signal_id=signal.signal_id, symbol=signal.symbol, accepted=accepted, side=side,
            quantity=result.quantity if accepted else Decimal(0),
            verdicts=verdicts + result.verdicts,
        )  # fmt: skip

    async def _route(self, signal: Signal, decision: RiskDecision, side: Side) -> None:
        self._models[signal.symbol] = signal.model.name
        if self.settings.approval.mode == "auto":
            await self.execute(signal.signal_id, signal.symbol, side, decision.quantity)
            return
        a = self.settings.approval
        request = why_card(signal, decision, price=signal.price, now=self.now(),
                           timeout_secs=a.timeout_secs, top=a.top_attributions)  # fmt: skip
        self.approvals.request(request)
        await self.publish(request)

    async def decide(
        self, approval_id: str, *, approved: bool, by: str, channel: str, reason: str | None
    ) -> ApprovalDecided | None:
        """Decide a pending approval (first answer wins); execute it when approved."""
        decided = self.approvals.decide(
            approval_id, approved=approved, by=by, channel=channel, reason=reason
        )
        if decided is None:
            return None
        await self.publish(decided)
        stored = self.approvals.get(approval_id)
        if approved and stored is not None:
            r = stored.request
            await self.execute(r.signal_id, r.symbol, r.side, r.quantity)
        return decided

    async def expire(self) -> None:
        """Reject and announce every approval past its deadline."""
        for decided in self.approvals.expire():
            await self.publish(decided)

    async def execute(self, signal_id: str, symbol: str, side: Side, quantity: Decimal) -> None:
        """Submit a market order for `signal_id` (its client order id derives from it)."""
        now = self.now()
        order = SubmitOrder(
            ts_event=now, ts_init=now, client_order_id=f"ntx-{signal_id}",
            venue=self.settings.paper.venue, symbol=symbol, side=side, order_type="market",
            quantity=quantity, signal_id=signal_id,
        )  # fmt: skip
        self.state.record_order(now)
        await self.publish(order)
        await self._apply(await self.broker.submit(order))

    async def on_bar(self, bar: Bar) -> None:
        """Mark the book, update ATR, advance the market clock, let the broker fill."""
        if self._market_now is None or bar.ts_event > self._market_now:
            self._market_now = bar.ts_event
        self.state.on_bar(bar.symbol, bar.high, bar.low, bar.close)
        await self._apply(await self.broker.on_bar(bar))
        await announce_breaches(self, self.breached)

    async def _apply(self, events: list[Message]) -> None:
        for event in events:
            if isinstance(event, OrderFilled):
                model = self._models.get(event.symbol, "unknown")
                self.state.on_fill(
                    event.ts_event,
                    event.symbol,
                    event.side,
                    event.last_quantity,
                    event.last_price,
                    event.fee,
                    model,
                )
            await self.publish(event)  # type: ignore[arg-type]

    def _restore_kill_switch(self) -> None:
        row = self.store.kill_switch()
        if row is not None:
            kill = self.state.kill
            kill.engaged, kill.reason = row.engaged, row.reason
            kill.changed_by, kill.channel = row.changed_by, row.channel


def new_id(prefix: str) -> str:
    """Return a fresh identifier."""
    return f"{prefix}-{uuid4().hex[:16]}"
