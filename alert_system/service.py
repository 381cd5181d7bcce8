"""alert_system's domain as its host sees it: upstream consumers, channel loops, the bot."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from alert_system import NAME
from alert_system.alerts import Alert, alert_from
from alert_system.channels.telegram import TelegramChannel
from alert_system.control.api import UpstreamApi
from alert_system.control.bot import App, poll
from alert_system.control.commands import Commands
from alert_system.control.replies import Replier
from alert_system.control.state import ControlState
from alert_system.delivery import Dispatcher
from alert_system.settings import AlertSystemSettings
from alert_system.summary import DailySummary
from service_runtime import HeartbeatStatus, ServiceMetrics, Worker, info_router, package_version
from service_runtime.logging import correlation
from signal_bus import BusClient, Publisher
from signal_schema import Envelope

log = logging.getLogger(__name__)

Inputs = Mapping[str, BusClient]
"""One bus client per upstream service (``model_engine``, ``exec_core``)."""


class AlertSystemService:
    """Signals, orders and risk events in; alerts out to Telegram, Discord and webhooks.

    Parameters
    ----------
    settings
        The service's settings (summary, Telegram control).
    dispatcher
        The outbox, the renderer and one send loop per channel.
    api
        exec_core's and model_engine's HTTP APIs (the bot's commands and the summary).
    app
        The Telegram bot application, or None without a bot token.
    state, summary
        What the bot reports, and the daily summary.
    inputs
        The upstream consumers.
    metrics
        The service's registry; offers, deliveries, failures and the outbox are added here.
    """

    name = NAME

    def __init__(
        self,
        settings: AlertSystemSettings,
        *,
        dispatcher: Dispatcher,
        api: UpstreamApi,
        app: App | None,
        state: ControlState,
        summary: DailySummary,
        inputs: Inputs,
        metrics: ServiceMetrics,
    ) -> None:
        self._settings = settings
        self.version = package_version()
        self._router = info_router(NAME, self.version)
        self.app = app
        self.dispatcher = dispatcher
        self.renderer = dispatcher.renderer
        self.api = api
        self.state = state
        self.summary = summary
        self.inputs = dict(inputs)
        self.metrics = metrics
        self.offered = 0
        self._subscribed = {name: asyncio.Event() for name in self.inputs}
        self._register_metrics()

    def _register_metrics(self) -> None:
        add, dispatcher = self.metrics.sampled, self.dispatcher
        add("counter", "ntx_alert_offered", "Alerts made from upstream", lambda: {(): self.offered})
        add(
            "counter",
            "ntx_alert_delivered",
            "Sends that succeeded",
            lambda: {(): dispatcher.delivered},
        )
        add("counter", "ntx_alert_failed", "Sends given up", lambda: {(): dispatcher.failed})
        add(
            "counter",
            "ntx_alert_template_errors",
            "Alerts rendered by the fallback template",
            lambda: {(): self.renderer.errors},
        )
        add(
            "gauge",
            "ntx_alert_outbox_rows",
            "Outbox rows per state (pending is the delivery queue)",
            lambda: {(state,): n for state, n in dispatcher.outbox.counts().items()},
            ["state"],
        )
        add(
            "counter",
            "ntx_alert_in_doubt_resent",
            "Alerts in flight when the last process died, sent again at this start",
            lambda: {(): len(dispatcher.outbox.recovered)},
        )
        add(
            "gauge",
            "ntx_alert_channels_disabled",
            "Channels disabled (target gone)",
            lambda: {(): len(dispatcher.disabled)},
        )

    def router(self) -> APIRouter:
        """Return the routes alert_system adds to its HTTP API (``GET /api/info``)."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``ok``; delivery problems show in ``/metrics`` and on ``alert.failed``."""
        return "ok"

    def counters(self) -> dict[str, Any]:
        """Return channels and delivery counters for the bot's status (no secrets)."""
        return {
            "channels": [f"{c.name}:{c.target}" for c in self.dispatcher.channels],
            "offered": self.offered,
            "outbox": self.dispatcher.outbox.counts(),
            "template_errors": self.renderer.errors,
            "disabled": dict(self.dispatcher.disabled),
        }

    async def handle(self, envelope: Envelope) -> None:
        """Turn one upstream envelope into alerts (stored in the outbox before any send)."""
        with correlation(envelope.correlation_id):
            self.state.observe(envelope)
            self.summary.observe(envelope)
            alert = alert_from(envelope)
            if alert is not None:
                self.offered += 1
                self.dispatcher.offer(alert)

    async def _consume(self, name: str, client: BusClient) -> None:
        announce = asyncio.create_task(self._announce(name, client))
        try:
            async for envelope in client.messages():
                await self.handle(envelope)
        finally:
            announce.cancel()

    async def _announce(self, name: str, client: BusClient) -> None:
        await client.connected.wait()
        self._subscribed[name].set()
        log.info("subscribed to %s", name, extra={"event": "upstream_subscribed", "upstream": name})

    async def wait_subscribed(self) -> None:
        """Return once every upstream consumer has subscribed (for tests and readiness)."""
        for event in self._subscribed.values():
            await event.wait()

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the upstream consumers, one send loop per channel, and the bot's polling."""
        loops: dict[str, Worker] = {
            name.replace("_", "-"): self._consume(name, client)
            for name, client in self.inputs.items()
        }
        for channel in self.dispatcher.channels:
            loops[f"send-{channel.name}-{channel.target}"] = self.dispatcher.run(channel, bus)
        if self._settings.summary.enabled and self.dispatcher.channels:
            loops["daily-summary"] = self.summary.run()
        allowed = self._settings.telegram.allowed_chats()
        if self.app is not None and allowed:
            self._commands(bus, allowed).install(self.app)
            loops["telegram-control"] = poll(self.app)
        elif self.app is not None:
            log.info("telegram control disabled: no allow-listed chat ids")
        return loops

    def _commands(self, bus: Publisher, allowed: frozenset[int]) -> Commands:
        assert self.app is not None  # noqa: S101 - checked by the caller
        card_channel = TelegramChannel(self._settings.telegram, self.app.bot, 0)

        def card(alert: Alert) -> str:
            text: str = json.loads(self.renderer.render(alert, card_channel))["text"]
            return text

        replies = Replier(self.dispatcher.policy)
        return Commands(allowed, bus, self.api, self.state, card, self.counters, replies=replies)
