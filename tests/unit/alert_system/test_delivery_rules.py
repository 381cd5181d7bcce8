"""Rendering, outbox dedup, retry policy, filters and HTTP classification, without sockets."""

from __future__ import annotations

import json
import random
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from alert_system.alerts import alert_from
from alert_system.channels.base import DeliveryError
from alert_system.channels.discord import DiscordChannel
from alert_system.channels.http import raise_for_delivery
from alert_system.channels.webhook import WebhookChannel
from alert_system.delivery import RetryPolicy, wants
from alert_system.outbox import Outbox, Row
from alert_system.render import Renderer
from alert_system.settings import DiscordSection, WebhookSection
from signal_schema import Envelope
from tests import schema_factories as factories


def webhook(**changes: object) -> WebhookChannel:
    section = WebhookSection(url=SecretStr("http://127.0.0.1:1/hook"), **changes)  # type: ignore[arg-type]
    return WebhookChannel(section, httpx.AsyncClient())


def test_the_same_event_gives_the_same_dedup_key_and_the_outbox_keeps_one() -> None:
    first = alert_from(Envelope.of(factories.signal()))
    again = alert_from(Envelope.of(factories.signal()))
    assert first is not None
    assert again is not None
    assert first.alert_id == again.alert_id
    outbox = Outbox(":memory:")
    row = Row(first.alert_id, "webhook", "t", first.source_topic, "{}", 0, 1.0)
    assert outbox.add(row)
    assert not outbox.add(row)
    assert outbox.next_due("webhook", "t", 2.0) == row
    outbox.delivered(row, 1)
    assert outbox.next_due("webhook", "t", 2.0) is None
    assert outbox.counts() == {"delivered": 1}


@pytest.mark.parametrize(
    ("status", "permanent", "retry_after"),
    [(503, False, None), (500, False, None), (400, True, None), (404, True, None)],
)
def test_http_answers_are_classified(status: int, permanent: bool, retry_after: None) -> None:
    with pytest.raises(DeliveryError) as caught:
        raise_for_delivery(httpx.Response(status))
    assert (caught.value.permanent, caught.value.retry_after) == (permanent, retry_after)


def test_a_429_waits_the_body_retry_after() -> None:
    response = httpx.Response(429, json={"retry_after": 1.25, "global": False})
    with pytest.raises(DeliveryError) as caught:
        raise_for_delivery(response)
    policy = RetryPolicy()
    assert caught.value.retry_after == 1.25
    assert 1.25 <= policy.delay(1, caught.value, random.Random(1)) <= 1.3


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy(initial_secs=1.0, maximum_secs=8.0)
    rng = random.Random(7)
    delays = [policy.delay(n, DeliveryError("HTTP 503"), rng) for n in (1, 2, 3, 4, 10)]
    for delay, base in zip(delays, (1, 2, 4, 8, 8), strict=True):
        assert base / 2 <= delay <= base


def test_filters_by_confidence_symbol_and_type() -> None:
    alert = alert_from(Envelope.of(factories.signal()))
    assert alert is not None
    assert wants(webhook(), alert)
    assert not wants(webhook(min_confidence=0.9), alert)
    assert not wants(webhook(symbols="ETH/USDT"), alert)
    assert not wants(webhook(message_types="OrderFilled"), alert)


def test_a_broken_override_template_falls_back_to_plain_text(tmp_path: Path) -> None:
    (tmp_path / "discord").mkdir()
    (tmp_path / "discord" / "Signal.json.j2").write_text("{{ m.no_such_field }}")
    renderer = Renderer(tmp_path)
    channel = DiscordChannel(DiscordSection(webhook_url=SecretStr("http://x")), httpx.AsyncClient())
    alert = alert_from(Envelope.of(factories.signal()))
    assert alert is not None
    body = renderer.render(alert, channel)
    assert renderer.errors == 1
    assert factories.SIGNAL_ID in body
    channel.check(body)


def test_json_templates_escape_through_tojson() -> None:
    tricky = factories.risk_limit_breached().model_copy(update={"message": 'say "hi" </b> \\ {'})
    alert = alert_from(Envelope.of(tricky))
    assert alert is not None
    body = Renderer().render(alert, webhook())
    assert json.loads(body)["message"]["message"] == 'say "hi" </b> \\ {'
