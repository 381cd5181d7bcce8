"""alert_system's domain as its host sees it: upstream consumers, channel loops, the bot."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from alert_system import NAME
from alert_system.alerts import Alert, alert_from
from alert_system.channels import build_channels, http_client
from alert_system.channels.telegram import TelegramChannel
from alert_system.control.api import UpstreamApi
from alert_system.control.bot import build_application, poll
from alert_system.control.commands import Commands
from alert_system.control.state import ControlState
from alert_system.delivery import Dispatcher, RetryPolicy
from alert_system.deliverylog import DeliveryLog
from alert_system.outbox import Outbox
from alert_system.render import Renderer
from alert_system.settings import AlertSystemSettings
from alert_system.summary import DailySummary
from service_runtime import HeartbeatStatus, Worker, info_router, package_version
from service_runtime.logging import correlation
from signal_bus import BusClient, BusClientSettings, Publisher
from signal_schema import Envelope, topics

log = logging.getLogger(__name__)

MODEL_ENGINE_TOPICS = (topics.SIGNAL_EMITTED,)
EXEC_CORE_TOPICS = (
    topics.RISK_DECISION,
    topics.RISK_LIMIT_BREACHED,
    topics.RISK_KILL_SWITCH_CHANGED,
    topics.ORDER_FILLED,
    topics.APPROVAL_REQUESTED,
    topics.PORTFOLIO_SNAPSHOT,
)


class AlertSystemService:
    """Signals, orders and risk events in; alerts out to Telegram, Discord and webhooks.

    Parameters
    ----------
    settings
        The service's settings.
    """

    name = NAME

    def __init__(self, settings: AlertSystemSettings) -> None:
        self._settings = settings
        self.version = package_version()
        self._router = info_router(NAME, self.version)
        self.app = build_application(settings.telegram)
        templates = settings.delivery.templates_dir
        self.renderer = Renderer(Path(templates).expanduser() if templates else None)
        delivery = settings.delivery
        self.http = http_client(settings)
        self.api = UpstreamApi(
            delivery.exec_core_http_url, delivery.model_engine_http_url, self.http
        )
        self.dispatcher = Dispatcher(
            build_channels(settings, self.app.bot if self.app else None, self.http),
            Outbox(settings.outbox_file()),
            self.renderer,
            DeliveryLog(settings.log_dir()),
            RetryPolicy(
                delivery.max_attempts, delivery.backoff_initial_secs, delivery.backoff_max_secs
            ),
        )
        self.state = ControlState()
        self.summary = DailySummary(settings.summary.at(), self.dispatcher, self.api, self.state)
        self.offered = 0
        self._subscribed = {name: asyncio.Event() for name in ("model_engine", "exec_core")}

    def router(self) -> APIRouter:
        """Return the routes alert_system adds to its HTTP API (``GET /api/info``)."""
        return self._router

    def status(self) -> HeartbeatStatus:
        """Return ``ok``; delivery problems show in ``/healthz`` and on ``alert.failed``."""
        return "ok"

    def health(self) -> dict[str, Any]:
        """Return alert_system's details for ``/healthz``."""
        return {"home": str(self._settings.home), **self.counters()}

    def counters(self) -> dict[str, Any]:
        """Return channels and delivery counters (no secrets)."""
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

    def _client(self, url: str, wanted: tuple[str, ...]) -> BusClient:
        settings = BusClientSettings(
            url=url,
            token=self._settings.bus_token,
            max_frame_bytes=self._settings.bus.max_frame_bytes,
        )
        return BusClient(settings, wanted)

    def workers(self, bus: Publisher) -> Mapping[str, Worker]:
        """Return the upstream consumers, one send loop per channel, and the bot's polling."""
        upstream = self._settings.upstream
        loops: dict[str, Worker] = {
            "model-engine": self._consume(
                "model_engine", self._client(upstream.model_engine_url, MODEL_ENGINE_TOPICS)
            ),
            "exec-core": self._consume(
                "exec_core", self._client(upstream.exec_core_url, EXEC_CORE_TOPICS)
            ),
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

        return Commands(allowed, bus, self.api, self.state, card, self.counters)
