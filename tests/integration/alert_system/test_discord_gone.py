"""A Discord webhook answering 404 is disabled: logged once, its pending alerts failed."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from alert_system.alerts import alert_from
from alert_system.channels.discord import DiscordChannel
from alert_system.delivery import Dispatcher, RetryPolicy
from alert_system.deliverylog import DeliveryLog
from alert_system.outbox import Outbox
from alert_system.render import Renderer
from alert_system.settings import DiscordSection
from signal_bus import InMemoryBus
from signal_schema import AlertFailed, AnyMessage, Envelope, topics
from tests import schema_factories as factories
from tests.fixtures.receivers import Receiver, Reply

UNKNOWN_WEBHOOK = Reply(404, {"message": "Unknown Webhook", "code": 10015})


async def test_a_404_disables_the_target_and_fails_its_pending_alerts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = Receiver([UNKNOWN_WEBHOOK] * 5)
    bus = InMemoryBus()
    failures = bus.subscribe([topics.ALERT_FAILED])
    async with receiver.running("/api/webhooks/1/gone"), httpx.AsyncClient() as client:
        channel = DiscordChannel(DiscordSection(webhook_url=SecretStr(receiver.url)), client)
        outbox = Outbox(tmp_path / "outbox.sqlite3")
        dispatcher = Dispatcher(
            [channel], outbox, Renderer(), DeliveryLog(tmp_path / "logs"), RetryPolicy()
        )
        messages: list[AnyMessage] = [
            factories.signal(),
            factories.order_filled(),
            factories.rebuild(factories.signal(), signal_id="01HK3TQ8W5C9J2ZV7E4M6T1AAA"),
        ]
        for message in messages:
            alert = alert_from(Envelope.of(message))
            assert alert is not None
            assert dispatcher.offer(alert) == 1
        with caplog.at_level(logging.ERROR, logger="alert_system.delivery"):
            await dispatcher.run(channel, bus)  # returns once the target is disabled
        envelopes = [failures.get_nowait() for _ in messages]
        failed = [e.message for e in envelopes if e is not None]
        later = alert_from(Envelope.of(factories.risk_limit_breached()))
        assert later is not None
        assert dispatcher.offer(later) == 0  # nothing stored for a disabled target
    assert len(receiver.requests) == 1  # one 404, then never again
    assert outbox.counts() == {"failed": 3}
    assert all(isinstance(m, AlertFailed) and m.permanent for m in failed)
    reasons = {m.error for m in failed if isinstance(m, AlertFailed)}
    assert reasons == {"discord webhook gone (HTTP 404): target disabled"}
    assert dispatcher.disabled == {"discord:discord": reasons.pop()}
    disabled_logs = [r for r in caplog.records if getattr(r, "event", "") == "channel_disabled"]
    assert len(disabled_logs) == 1
