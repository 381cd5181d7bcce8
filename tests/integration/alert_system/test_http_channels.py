"""Discord and webhook deliveries through the real service to local HTTP receivers."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from pydantic import SecretStr

from alert_system.settings import DeliverySection, DiscordSection, WebhookSection
from signal_schema import AlertDelivered, AlertFailed, topics
from tests import schema_factories as factories
from tests.fixtures.receivers import Receiver, Reply, discord_429
from tests.integration.alert_system.harness import running

KEY = "webhook-test-hmac-key"
FAST = DeliverySection(backoff_initial_secs=0.05, backoff_max_secs=0.2)


async def test_webhook_is_signed_and_the_receiver_verifies_it(tmp_path: Path) -> None:
    receiver = Receiver(hmac_key=KEY.encode())
    async with receiver.running():
        hook = WebhookSection(url=SecretStr(receiver.url), hmac_key=SecretStr(KEY))
        async with (
            running(tmp_path, webhook=hook) as alerts,
            alerts.subscribe([topics.ALERT_DELIVERED]) as outcomes,
        ):
            await alerts.emit(factories.signal())
            [got] = await receiver.wait_successes(1)
            delivered = (await anext(outcomes)).message
    assert got.signature_ok is True
    body = got.json()
    assert body["signal_id"] == factories.SIGNAL_ID
    assert body["top_attributions"][0]["feature"]
    assert got.headers["X-NTX-Alert-Id"] == f"Signal:{factories.SIGNAL_ID}"
    assert isinstance(delivered, AlertDelivered)
    assert (delivered.channel, delivered.attempts) == ("webhook", 1)
    [log_file] = (tmp_path / "logs" / "alerts").glob("*.log")
    assert json.loads(log_file.read_text().splitlines()[0])["outcome"] == "delivered"
    assert KEY not in log_file.read_text()


async def test_a_tampered_body_fails_verification() -> None:
    from alert_system.channels.webhook import sign, verify

    signature = sign(KEY.encode(), "1700000000", b'{"a":1}')
    assert verify(KEY.encode(), "1700000000", b'{"a":1}', signature, now=1_700_000_010)
    assert not verify(KEY.encode(), "1700000000", b'{"a":2}', signature, now=1_700_000_010)
    assert not verify(KEY.encode(), "1700000000", b'{"a":1}', signature, now=1_700_009_999)


async def test_discord_429_storm_is_delivered_after_retry_after(tmp_path: Path) -> None:
    storm = [discord_429(0.3) for _ in range(3)]
    receiver = Receiver(storm, ok_status=204)
    async with receiver.running("/api/webhooks/1/secret-token"):
        discord = DiscordSection(webhook_url=SecretStr(receiver.url))
        async with running(tmp_path, discord=discord, delivery=FAST) as alerts:
            await alerts.emit(factories.signal())
            await receiver.wait_successes(1)
    requests = receiver.requests
    assert [r.status for r in requests] == [429, 429, 429, 204]
    gaps = [b.at - a.at for a, b in itertools.pairwise(requests)]
    assert all(gap >= 0.3 for gap in gaps), gaps
    payload = requests[-1].json()
    assert payload["embeds"][0]["color"] == 0x2ECC71  # up: green
    assert len(payload["content"]) <= 2000


async def test_a_400_is_not_retried_and_other_channels_still_deliver(tmp_path: Path) -> None:
    bad = Receiver([Reply(400, {"message": "Invalid Form Body"})])
    good = Receiver()
    async with bad.running(), good.running():
        sections = {
            "discord": DiscordSection(webhook_url=SecretStr(bad.url)),
            "webhook": WebhookSection(url=SecretStr(good.url)),
            "delivery": FAST,
        }
        async with (
            running(tmp_path, **sections) as alerts,
            alerts.subscribe([topics.ALERT_FAILED]) as outcomes,
        ):
            await alerts.emit(factories.signal())
            failed = (await anext(outcomes)).message
            await good.wait_successes(1)
            await alerts.emit(factories.order_filled())
            await good.wait_successes(2)
    assert isinstance(failed, AlertFailed)
    assert (failed.channel, failed.attempts, failed.permanent) == ("discord", 1, True)
    assert failed.error == "HTTP 400"
    assert len(await bad.wait_requests(2)) == 2  # the signal once (not retried), the fill
