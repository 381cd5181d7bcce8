"""Telegram commands and approval buttons; only allow-listed chats may act.

/kill and /resume publish ``SetKillSwitch`` and the buttons publish ``ApprovalDecided`` on
alert_system's own bus (topics ``risk.kill_switch.set`` and ``approval.decided``); exec_core
subscribes to that bus and acts on them. A button's answer is what exec_core decided: its
``ApprovalDecided`` echo on its own bus, or its approvals API.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from alert_system.alerts import Alert
from alert_system.channels.telegram import APPROVE, REJECT
from alert_system.control.api import ApiUnavailable, UpstreamApi
from alert_system.control.replies import Replier
from alert_system.control.state import ControlState
from alert_system.delivery import RetryPolicy
from signal_bus import Publisher
from signal_schema import ApprovalDecided, Envelope, SetKillSwitch, Signal

log = logging.getLogger(__name__)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
Card = Callable[[Alert], str]


def _who(update: Update) -> str:
    user = update.effective_user
    name = user.username or str(user.id) if user else "unknown"
    return f"telegram:{name}"[:128]


UNREACHABLE: dict[str, Any] = {"status": "unreachable"}
"""What `Commands._approval` returns when exec_core's API cannot answer."""


def decision_text(
    approval_id: str, outcome: ApprovalDecided | dict[str, Any] | None, who: str | None
) -> str:
    """Say what exec_core decided about `approval_id` (`who` pressed the button, if sent).

    `outcome` is exec_core's `ApprovalDecided`, its approvals API's answer, or None for an
    approval exec_core does not know.
    """
    if outcome is None:
        return f"Unknown approval: {approval_id} (exec_core has no such request)"
    if isinstance(outcome, ApprovalDecided):
        verdict = "approved" if outcome.approved else "rejected"
        by, channel = outcome.decided_by, outcome.channel
    elif outcome["status"] in ("approved", "rejected"):
        verdict, by, channel = outcome["status"], outcome["decided_by"], outcome["channel"]
    elif outcome["status"] == "pending":
        return f"Sent; exec_core has not decided {approval_id} yet"
    else:
        return f"Sent; exec_core's answer about {approval_id} could not be read"
    if who is not None and by == who and channel == "telegram":
        return f"{verdict.capitalize()} by {by}: {approval_id}"
    return f"Already {verdict} by {by} via {channel}: {approval_id}"


def _json(value: Any) -> str:
    return f"<pre>{html.escape(json.dumps(value, indent=1, default=str)[:3500])}</pre>"


class Commands:
    """The bot's handlers.

    Parameters
    ----------
    allowed
        Chat ids allowed to command; every other chat is refused and logged.
    bus
        alert_system's own bus, where commands and decisions are published.
    api
        exec_core's and model_engine's HTTP APIs.
    state
        What the bus told us (kill switch, recent signals).
    card
        Renders a signal's attribution card (the Signal template).
    status
        The service's counters, for /status.
    decision_timeout_secs
        How long a pressed button waits for exec_core's decision before asking its API.
    replies
        Sends every reply and button answer with the alerts' retries (a 429 waits).
    """

    def __init__(
        self,
        allowed: frozenset[int],
        bus: Publisher,
        api: UpstreamApi,
        state: ControlState,
        card: Card,
        status: Callable[[], dict[str, Any]],
        decision_timeout_secs: float = 5.0,
        replies: Replier | None = None,
    ) -> None:
        self.allowed = allowed
        self.bus = bus
        self.api = api
        self.state = state
        self.card = card
        self.status_details = status
        self.decision_timeout_secs = decision_timeout_secs
        self.replies = replies if replies is not None else Replier(RetryPolicy())
        self.refused = 0

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Register every command and the approval button handler on `app`."""
        commands: dict[str, Handler] = {
            "status": self.status,
            "positions": self.positions,
            "pnl": self.pnl,
            "signals": self.signals,
            "why": self.why,
            "kill": self.kill,
            "resume": self.resume,
        }
        for name, handler in commands.items():
            app.add_handler(CommandHandler(name, self._guard(handler)))
        app.add_handler(CallbackQueryHandler(self._guard(self.decide)))
        app.add_error_handler(self._on_error)

    def _guard(self, handler: Handler) -> Handler:
        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            chat = update.effective_chat
            if chat is not None and chat.id in self.allowed:
                await handler(update, context)
                return
            self.refused += 1
            log.warning(
                "refused %s from chat %s (not allow-listed)",
                handler.__name__,
                chat.id if chat else None,
                extra={"event": "command_refused"},
            )
            query, message = update.callback_query, update.effective_message
            if query is not None:
                await self.replies.send("refusal", lambda: query.answer("Not allowed."))
            elif message is not None:
                await self.replies.send("refusal", lambda: message.reply_text("Not allowed."))

        guarded.__name__ = handler.__name__
        return guarded

    async def _reply(self, update: Update, text: str) -> None:
        message = update.effective_message
        if message is not None:
            await self.replies.send("reply", lambda: message.reply_html(text))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a handler's exception (python-telegram-bot's error handler)."""
        log.error(
            "telegram handler failed: %s",
            type(context.error).__name__,
            exc_info=context.error,
            extra={"event": "telegram_handler_failed"},
        )

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /status: kill switch and delivery counters."""
        ks = self.state.kill_switch
        switch = "unknown" if ks is None else ("ENGAGED" if ks.engaged else "released")
        details = {"kill_switch": switch, **self.status_details()}
        await self._reply(update, "<b>Status</b>\n" + _json(details))

    async def _from_api(self, update: Update, title: str, call: Awaitable[Any]) -> None:
        try:
            body = await call
        except ApiUnavailable as exc:
            await self._reply(update, f"<b>{title}</b>: {html.escape(str(exc))}")
            return
        await self._reply(update, f"<b>{title}</b>\n{_json(body)}")

    async def positions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /positions from exec_core."""
        await self._from_api(update, "Positions", self.api.positions())

    async def pnl(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /pnl from exec_core's portfolio (or the last snapshot on the bus)."""
        try:
            body = await self.api.portfolio()
        except ApiUnavailable as exc:
            snap = self.state.portfolio
            if snap is None:
                await self._reply(update, f"<b>PnL</b>: {html.escape(str(exc))}")
                return
            body = snap.model_dump(mode="json")
        await self._reply(update, f"<b>PnL</b>\n{_json(body)}")

    async def signals(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /signals: model_engine's list, else the recent signals seen on the bus."""
        try:
            body = await self.api.signals()
        except ApiUnavailable:
            body = [
                {
                    "id": s.signal_id,
                    "symbol": s.symbol,
                    "direction": s.direction,
                    "confidence": s.confidence,
                }
                for s in list(self.state.signals.values())[-10:]
            ]
        await self._reply(update, f"<b>Signals</b>\n{_json(body)}")

    async def why(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /why <signal_id> with the signal's attribution card."""
        if not context.args:
            await self._reply(update, "Usage: /why &lt;signal_id&gt;")
            return
        signal_id = context.args[0]
        signal = self.state.signals.get(signal_id)
        if signal is None:
            try:
                signal = Signal.model_validate(await self.api.signal(signal_id))
            except (ApiUnavailable, ValueError):
                await self._reply(update, f"Unknown signal {html.escape(signal_id)}")
                return
        alert = Alert(
            f"Signal:{signal_id}",
            "Signal",
            Signal.TOPIC,
            signal.model_dump(mode="json"),
            symbol=signal.symbol,
        )
        await self._reply(update, self.card(alert))

    async def _kill_switch(self, update: Update, engaged: bool, reason: str) -> None:
        now = datetime.now(UTC)
        command = SetKillSwitch(
            ts_event=now,
            ts_init=now,
            engaged=engaged,
            reason=reason,
            requested_by=_who(update),
            channel="telegram",
        )
        await self.bus.publish(Envelope.of(command))
        verb = "engage" if engaged else "release"
        await self._reply(update, f"Asked exec_core to {verb} the kill switch.")

    async def kill(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /kill [reason]: publish SetKillSwitch(engaged=True)."""
        await self._kill_switch(update, True, " ".join(context.args or ()) or "telegram /kill")

    async def resume(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer /resume: publish SetKillSwitch(engaged=False)."""
        await self._kill_switch(update, False, " ".join(context.args or ()) or "telegram /resume")

    async def decide(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle an Approve/Reject button: publish ApprovalDecided, answer what exec_core did.

        exec_core's approvals API says first whether the approval exists and is still
        pending (unknown or already decided: nothing is published). Otherwise the decision
        goes out on alert_system's bus and the answer waits for exec_core's `ApprovalDecided`
        for it: ours ("Approved"), or someone else's who was first ("Already approved by
        ..."). Without an answer in time, the API is asked again.
        """
        query = update.callback_query
        if query is None or not query.data or ":" not in query.data:
            return
        action, approval_id = query.data.split(":", 1)
        if action not in (APPROVE, REJECT):
            await self.replies.send("answer", lambda: query.answer("Unknown action."))
            return
        who = _who(update)
        now = datetime.now(UTC)
        try:
            decided = ApprovalDecided(
                ts_event=now, ts_init=now, approval_id=approval_id,
                approved=action == APPROVE, decided_by=who, channel="telegram",
            )  # fmt: skip
        except ValidationError:
            await self._answer_decision(query, approval_id, None)
            return
        known = await self._approval(approval_id)
        if known is None or (known is not UNREACHABLE and known["status"] != "pending"):
            await self._answer_decision(query, approval_id, known)
            return
        waiter = self.state.expect_decision(approval_id)
        try:
            await self.bus.publish(Envelope.of(decided))
            outcome: ApprovalDecided | dict[str, Any] | None = await asyncio.wait_for(
                asyncio.shield(waiter), self.decision_timeout_secs
            )
        except TimeoutError:
            outcome = await self._approval(approval_id)
        finally:
            self.state.forget_decision(approval_id, waiter)
        await self._answer_decision(query, approval_id, outcome, who=who)

    async def _approval(self, approval_id: str) -> dict[str, Any] | None:
        try:
            return await self.api.approval(approval_id)
        except ApiUnavailable as exc:
            log.warning("approval %s: exec_core's API cannot answer: %s", approval_id, exc)
            return UNREACHABLE

    async def _answer_decision(
        self,
        query: CallbackQuery,
        approval_id: str,
        outcome: ApprovalDecided | dict[str, Any] | None,
        *,
        who: str | None = None,
    ) -> None:
        text = decision_text(approval_id, outcome, who)
        await self.replies.send("answer", lambda: query.answer(text[:200]))
        await self.replies.send("edit", lambda: query.edit_message_text(html.escape(text)))
