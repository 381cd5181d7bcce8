"""Telegram commands and approval buttons; only allow-listed chats may act.

/kill and /resume publish ``SetKillSwitch`` and the buttons publish ``ApprovalDecided`` on
alert_system's own bus (topics ``risk.kill_switch.set`` and ``approval.decided``); exec_core
subscribes to that bus and acts on them.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from alert_system.alerts import Alert
from alert_system.channels.telegram import APPROVE, REJECT
from alert_system.control.api import ApiUnavailable, UpstreamApi
from alert_system.control.state import ControlState
from signal_bus import Publisher
from signal_schema import ApprovalDecided, Envelope, SetKillSwitch, Signal

log = logging.getLogger(__name__)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
Card = Callable[[Alert], str]


def _who(update: Update) -> str:
    user = update.effective_user
    name = user.username or str(user.id) if user else "unknown"
    return f"telegram:{name}"[:128]


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
    """

    def __init__(
        self,
        allowed: frozenset[int],
        bus: Publisher,
        api: UpstreamApi,
        state: ControlState,
        card: Card,
        status: Callable[[], dict[str, Any]],
    ) -> None:
        self.allowed = allowed
        self.bus = bus
        self.api = api
        self.state = state
        self.card = card
        self.status_details = status
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
            if update.callback_query is not None:
                await update.callback_query.answer("Not allowed.")
            elif update.effective_message is not None:
                await update.effective_message.reply_text("Not allowed.")

        guarded.__name__ = handler.__name__
        return guarded

    async def _reply(self, update: Update, text: str) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_html(text)

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
        """Handle an Approve/Reject button: publish ApprovalDecided, answer, edit the card."""
        query = update.callback_query
        if query is None or not query.data or ":" not in query.data:
            return
        action, approval_id = query.data.split(":", 1)
        if action not in (APPROVE, REJECT):
            await query.answer("Unknown action.")
            return
        now = datetime.now(UTC)
        decided = ApprovalDecided(
            ts_event=now,
            ts_init=now,
            approval_id=approval_id,
            approved=action == APPROVE,
            decided_by=_who(update),
            channel="telegram",
        )
        await self.bus.publish(Envelope.of(decided))
        verdict = "Approved" if decided.approved else "Rejected"
        await query.answer(verdict)
        await query.edit_message_text(
            f"{verdict} by {html.escape(decided.decided_by)}: {html.escape(approval_id)}"
        )
