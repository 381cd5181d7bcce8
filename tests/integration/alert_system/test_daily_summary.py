"""The daily summary: due at its UTC time, from what was seen, once per day across restarts."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import httpx
from aiohttp import web
from pydantic import SecretStr

from alert_system.channels.webhook import WebhookChannel
from alert_system.control.api import UpstreamApi
from alert_system.control.state import ControlState
from alert_system.delivery import Dispatcher, RetryPolicy
from alert_system.deliverylog import DeliveryLog
from alert_system.outbox import Outbox
from alert_system.render import Renderer
from alert_system.settings import WebhookSection
from alert_system.summary import DailySummary
from signal_schema import Envelope
from tests import schema_factories as factories
from tests.fixtures.exchanges.serving import serving
from tests.fixtures.receivers import Receiver

PNL = {"currency": "USDT", "realized_pnl": "12.5", "unrealized_pnl": "-3.25", "fees": "0.4"}


class Clock:
    """A settable UTC clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@contextlib.asynccontextmanager
async def exec_core() -> AsyncIterator[str]:
    """Serve exec_core's ``GET /api/portfolio`` shape; yield the base URL."""

    async def portfolio(request: web.Request) -> web.Response:
        snapshot = factories.portfolio_snapshot().model_dump(mode="json")
        return web.json_response({"snapshot": snapshot, "pnl": PNL, "halted": False})

    app = web.Application()
    app.router.add_get("/api/portfolio", portfolio)
    async with serving(app) as base:
        yield base


def build(
    path: Path,
    client: httpx.AsyncClient,
    hook: str,
    api: UpstreamApi,
    clock: Clock,
    state: ControlState | None = None,
) -> tuple[WebhookChannel, Outbox, DailySummary]:
    """Build the webhook channel, outbox, dispatcher and summary as the service does."""
    channel = WebhookChannel(WebhookSection(url=SecretStr(hook)), client)
    outbox = Outbox(path / "outbox.sqlite3")
    dispatcher = Dispatcher(
        [channel], outbox, Renderer(), DeliveryLog(path / "logs"), RetryPolicy()
    )
    summary = DailySummary(time(23, 55), dispatcher, api, state or ControlState(), clock)
    return channel, outbox, summary


async def test_sent_once_per_day_at_its_time_even_across_a_restart(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 1, 2, 23, 54, 59, tzinfo=UTC))
    receiver = Receiver()
    async with receiver.running(), exec_core() as base, httpx.AsyncClient() as client:
        api = UpstreamApi(base, base, client)
        channel, outbox, summary = build(tmp_path, client, receiver.url, api, clock)
        for message in (factories.signal(), factories.order_filled(), factories.order_filled()):
            summary.observe(Envelope.of(message))
        assert not await summary.tick()  # one second early
        assert summary.seconds_until_next() == 1.0
        clock.now = datetime(2026, 1, 2, 23, 55, tzinfo=UTC)
        assert await summary.tick()
        assert not await summary.tick()  # stored for today already
        row = outbox.next_due("webhook", channel.target, 1e12)
        assert row is not None
        await channel.send(row.body, row.alert_id)
        outbox.delivered(row, 1)
        outbox.close()
        # restart: a new process, the same outbox file, later the same day
        clock.now = datetime(2026, 1, 2, 23, 59, tzinfo=UTC)
        _, outbox, summary = build(tmp_path, client, receiver.url, api, clock)
        assert not await summary.tick()
        clock.now = datetime(2026, 1, 3, 0, 1, tzinfo=UTC)
        assert not await summary.tick()  # the next day's is due at 23:55
        assert summary.seconds_until_next() == (23 * 60 + 54) * 60.0
        counts = outbox.counts()
    [got] = receiver.requests
    body = got.json()
    assert got.headers["X-NTX-Alert-Id"] == "DailySummary:2026-01-02"
    assert body["type"] == "DailySummary"
    message = body["message"]
    assert (message["signals"], message["fills"], message["day"]) == (1, 2, "2026-01-02")
    assert message["pnl"] == PNL
    assert (
        message["portfolio"]["equity"]
        == factories.portfolio_snapshot().model_dump(mode="json")["equity"]
    )
    assert counts == {"delivered": 1}


async def test_without_exec_core_it_uses_the_last_snapshot_seen(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 1, 2, 23, 56, tzinfo=UTC))
    async with httpx.AsyncClient() as client:
        api = UpstreamApi("http://127.0.0.1:9", "http://127.0.0.1:9", client)  # nobody there
        state = ControlState()
        state.observe(Envelope.of(factories.portfolio_snapshot()))
        channel, outbox, summary = build(tmp_path, client, "http://x/h", api, clock, state)
        assert await summary.tick()
        row = outbox.next_due("webhook", channel.target, 1e12)
    assert row is not None
    assert '"pnl": null' in row.body or '"pnl":null' in row.body
    assert factories.portfolio_snapshot().model_dump(mode="json")["equity"] in row.body
