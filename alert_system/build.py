"""Build alert_system's objects from its settings (called from `__main__` only)."""

from __future__ import annotations

from pathlib import Path

from alert_system.channels import build_channels, http_client
from alert_system.control.api import UpstreamApi
from alert_system.control.bot import build_application
from alert_system.control.state import ControlState
from alert_system.delivery import Dispatcher, RetryPolicy
from alert_system.deliverylog import DeliveryLog
from alert_system.outbox import Outbox
from alert_system.render import Renderer
from alert_system.service import AlertSystemService, Inputs
from alert_system.settings import AlertSystemSettings
from alert_system.summary import DailySummary
from service_runtime import ServiceMetrics, upstream_client_settings
from signal_bus import BusClient, BusMetrics
from signal_schema import topics

INPUT_TOPICS = {
    "model_engine": (topics.SIGNAL_EMITTED,),
    "exec_core": (
        topics.RISK_DECISION,
        topics.RISK_LIMIT_BREACHED,
        topics.RISK_KILL_SWITCH_CHANGED,
        topics.ORDER_FILLED,
        topics.APPROVAL_REQUESTED,
        topics.APPROVAL_DECIDED,
        topics.PORTFOLIO_SNAPSHOT,
    ),
}
"""What alert_system consumes from each upstream bus (``approval.decided``: exec_core's
decisions, which answer a pressed approval button; no alert is made of them)."""


def build_inputs(settings: AlertSystemSettings, metrics: BusMetrics) -> Inputs:
    """Return one bus client per upstream, subscribed to what alerts are made from."""
    clients = upstream_client_settings(
        settings.upstream, settings.bus_token, max_frame_bytes=settings.bus.max_frame_bytes
    )
    return {
        name: BusClient(client, INPUT_TOPICS[name], metrics=metrics)
        for name, client in clients.items()
    }


def build_service(settings: AlertSystemSettings) -> AlertSystemService:
    """Return alert_system's service: channels, outbox, renderer, summary, bot and inputs."""
    metrics = ServiceMetrics()
    app = build_application(settings.telegram)
    templates = settings.delivery.templates_dir
    renderer = Renderer(Path(templates).expanduser() if templates else None)
    delivery = settings.delivery
    http = http_client(settings)
    api = UpstreamApi(
        delivery.exec_core_http_url, delivery.model_engine_http_url, http, settings.bus_token
    )
    dispatcher = Dispatcher(
        build_channels(settings, app.bot if app else None, http),
        Outbox(settings.outbox_file()),
        renderer,
        DeliveryLog(settings.log_dir()),
        RetryPolicy(
            delivery.max_attempts, delivery.backoff_initial_secs, delivery.backoff_max_secs
        ),
    )
    state = ControlState()
    summary = DailySummary(settings.summary.at(), dispatcher, api, state)
    return AlertSystemService(
        settings,
        dispatcher=dispatcher,
        api=api,
        app=app,
        state=state,
        summary=summary,
        inputs=build_inputs(settings, metrics.bus),
        metrics=metrics,
    )
