"""The pipeline: validation → risk gate → approval → broker; every decision persisted first.

What the gate remembers survives a restart: each accepted decision commits with its route
(model, signal time, horizon end), raised equity peaks are written with the next decision or
at the end of the bar that raised them, and `start` restores both (see `exec_core.recovery`
for accepted decisions a crash left without an order).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from uuid import uuid4

from exec_core.approvals import ApprovalBook, why_card
from exec_core.brokers import Broker
from exec_core.commands import announce_breaches, set_kill_switch
from exec_core.decision import client_order_id, decide_signal, horizon_end
from exec_core.ledger import Ledger
from exec_core.persistence import DecisionStore, Route
from exec_core.recovery import recover_unsent
from exec_core.risk import RiskState
from exec_core.settings import ExecCoreSettings
from exec_core.trading import Trader
from signal_bus import Publisher
from signal_schema import (
    AnyMessage,
    ApprovalDecided,
    Bar,
    Envelope,
    Heartbeat,
    RiskDecision,
    SetKillSwitch,
    Signal,
    SubmitOrder,
)
from signal_schema.primitives import Side

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class ExecEngine:
    """Signals in; decisions, approvals and orders out (see the module docstring).

    Parameters
    ----------
    settings
        exec_core's settings (validation, risk, approval, positions, broker).
    store
        Seen signal ids, decisions, approvals and the kill-switch audit.
    state
        The risk gate's memory (its book reads `ledger`).
    ledger
        The books every order and fill is recorded in before it is published.
    broker
        Where accepted orders go (paper or live), through `Trader`.
    clock
        Wall clock (UTC); with ``validation.clock == "market"`` the newest bar close wins.
    """

    def __init__(
        self, settings: ExecCoreSettings, store: DecisionStore, state: RiskState,
        ledger: Ledger, broker: Broker, clock: Clock,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.store = store
        self.state = state
        self.ledger = ledger
        self.trader = Trader(settings, ledger, broker, state, self.publish, self.now)
        self._wall = clock
        self._market_now: datetime | None = None
        self.approvals = ApprovalBook(store, self.now)
        self._bus: Publisher | None = None
        self._routes: dict[str, Route] = {}
        self._recovering = False
        self.counts = {"signals": 0, "duplicates": 0, "accepted": 0, "refused": 0}
        self.breached: set[str] = set()
        self._restore_kill_switch()
        state.restore_peaks(store.peaks())

    async def start(self) -> bool:
        """Open for trading (`Trader.start`), then settle accepted decisions left unsent.

        Those are sent or expired (`recover_unsent`) once the decision clock is known (on
        the market clock: from the first bar), each when the broker can price its market
        order (the paper broker: after a bar of its symbol). Returns whether the books and
        the broker agree.
        """
        ok = await self.trader.start()
        self.save_peaks()
        self._recovering = True
        await self._recover()
        return ok

    async def _recover(self) -> None:
        if self.settings.validation.clock == "market" and self._market_now is None:
            return
        self._recovering = await recover_unsent(self, self._priced)

    def _priced(self, symbol: str) -> bool:
        return self.settings.broker != "paper" or symbol in self.state.book.marks

    def save_peaks(self) -> None:
        """Persist the equity peaks raised since they were last written (none: no write)."""
        if self.state.risen:
            self.store.save_peaks(self.state.risen, self.now())
            self.state.take_risen()

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
        """Route one upstream envelope (signal, bar, heartbeat); commands are ignored here.

        Commands are accepted only from an authenticated channel: `on_telegram` (alert_system's
        bus) and the HTTP API (`exec_core.api`).
        """
        message = envelope.message
        if isinstance(message, Signal):
            await self.on_signal(message)
        elif isinstance(message, Bar):
            await self.on_bar(message)
        elif isinstance(message, Heartbeat) and message.service == "model_engine":
            self.state.heartbeat_at = self.now()
        elif isinstance(message, SetKillSwitch | ApprovalDecided):
            log.warning(
                "%s from a data upstream ignored: commands come from alert_system or the API",
                message.type,
                extra={"event": "command_refused", "message_type": message.type},
            )

    async def on_telegram(self, envelope: Envelope) -> None:
        """Handle a command from alert_system's bus: its allow-listed Telegram chats.

        The audit channel is ``telegram`` whatever the message claims, and the operator is
        recorded under the ``telegram:`` prefix alert_system gives its users.
        """
        message = envelope.message
        if isinstance(message, ApprovalDecided):
            await self.decide(
                message.approval_id, approved=message.approved,
                by=telegram_user(message.decided_by), channel="telegram", reason=message.reason,
            )  # fmt: skip
        elif isinstance(message, SetKillSwitch):
            await set_kill_switch(
                self, message.engaged, message.reason, telegram_user(message.requested_by),
                "telegram",
            )  # fmt: skip
        else:
            log.debug("exec_core ignores %s from alert_system", message.type)

    async def on_signal(self, signal: Signal) -> RiskDecision | None:
        """Decide on `signal` once; a duplicate id is logged and ignored (None)."""
        return (await self.on_signals([signal]))[0]

    async def on_signals(self, signals: Sequence[Signal]) -> list[RiskDecision | None]:
        """Decide `signals` (e.g. one bar close) exactly as `on_signal` one at a time would.

        A refusal changes no state, so consecutive refusals are persisted in one
        transaction; an accepted decision first persists what is pending, then itself, and is
        routed at once, so every later decision of the batch sees its order.
        """
        out: list[RiskDecision | None] = []
        pending: list[tuple[Signal, RiskDecision]] = []
        for signal in signals:
            self.counts["signals"] += 1
            decision = decide_signal(signal, self.now(), self.settings, self.state, self.trader)
            pending.append((signal, decision))
            if decision.accepted:
                out += await self._commit(pending)
                pending = []
        out += await self._commit(pending)
        return out

    async def _commit(
        self, decided: list[tuple[Signal, RiskDecision]]
    ) -> list[RiskDecision | None]:
        """Persist `decided` (duplicates are dropped), then publish and route each in order.

        The accepted decisions' routes and the raised peaks commit in the same transaction.
        """
        routes = {s.signal_id: self._route_of(s) for s, d in decided if d.accepted}
        stored = self.store.record_decisions(
            [d for _, d in decided], self.now(), routes=list(routes.values()),
            peaks=self.state.risen,
        )  # fmt: skip
        self.state.take_risen()
        out: list[RiskDecision | None] = []
        for (signal, decision), new in zip(decided, stored, strict=True):
            if not new:
                self.counts["duplicates"] += 1
                log.info(
                    "duplicate signal %s ignored",
                    signal.signal_id,
                    extra={"event": "signal_duplicate", "signal_id": signal.signal_id},
                )
                out.append(None)
                continue
            self.counts["accepted" if decision.accepted else "refused"] += 1
            log.info("signal %s %s", signal.signal_id,
                     "accepted" if decision.accepted else "refused",
                     extra={"event": "risk_decision", "signal_id": signal.signal_id,
                            "accepted": decision.accepted})  # fmt: skip
            await self.publish(decision)
            if decision.accepted and decision.side is not None:
                self._routes[signal.signal_id] = routes[signal.signal_id]
                await self._route(signal, decision, decision.side)
            out.append(decision)
        return out

    def _route_of(self, signal: Signal) -> Route:
        expires = horizon_end(signal.ts_event, signal.timeframe, signal.horizon_bars)
        mode = self.settings.approval.mode
        return Route(signal.signal_id, mode, signal.model.name, signal.ts_event, expires)

    async def _route(self, signal: Signal, decision: RiskDecision, side: Side) -> None:
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
        if stored is not None and approved:
            r = stored.request
            await self.execute(r.signal_id, r.symbol, r.side, r.quantity)
        elif stored is not None:
            self._routes.pop(stored.request.signal_id, None)
        return decided

    async def expire(self) -> None:
        """Reject and announce every approval past its deadline."""
        for decided in self.approvals.expire():
            await self.publish(decided)

    async def execute(self, signal_id: str, symbol: str, side: Side, quantity: Decimal) -> None:
        """Submit a market order for `signal_id` (its client order id derives from it).

        The order carries its route's model and horizon end (read back from the store when
        this process did not route it, e.g. an approval decided after a restart).
        """
        now = self.now()
        order = SubmitOrder(
            ts_event=now, ts_init=now, client_order_id=client_order_id(signal_id),
            venue=self.trader.broker.venue, symbol=symbol, side=side, order_type="market",
            quantity=quantity, signal_id=signal_id,
        )  # fmt: skip
        route = self._routes.pop(signal_id, None) or self.store.route(signal_id)
        model, expires = ("unknown", None) if route is None else (route.model, route.expires_at)
        await self.trader.submit(order, model=model, expires_at=expires)

    async def on_bar(self, bar: Bar) -> None:
        """Advance the market clock; mark, fill, run exits and snapshot (`Trader.on_bar`)."""
        if self._market_now is None or bar.ts_event > self._market_now:
            self._market_now = bar.ts_event
        await self.trader.on_bar(bar)
        if self._recovering:  # after the bar: a market order must not fill at its open
            await self._recover()
        self.save_peaks()
        await announce_breaches(self, self.breached)

    def _restore_kill_switch(self) -> None:
        row = self.store.kill_switch()
        if row is not None:
            kill = self.state.kill
            kill.engaged, kill.reason = row.engaged, row.reason
            kill.changed_by, kill.channel = row.changed_by, row.channel


def telegram_user(name: str) -> str:
    """Return `name` under the ``telegram:`` prefix (kept when it is already there)."""
    return (name if name.startswith("telegram:") else f"telegram:{name}")[:128]


def new_id(prefix: str) -> str:
    """Return a fresh identifier."""
    return f"{prefix}-{uuid4().hex[:16]}"
