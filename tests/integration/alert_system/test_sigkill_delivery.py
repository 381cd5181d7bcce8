"""SIGKILL of a real alert_system mid-stream: after the restart only what was in flight is resent.

The webhook receiver kills the process when the `KILL_AT`-th alert arrives, then answers 200
(the receiver has it; the sender never learns). After the restart every alert reaches the
webhook once by its alert id (the in-flight ones may arrive twice, at most the channel's
concurrency, and receivers drop them by ``X-NTX-Alert-Id``) and Telegram, which has no
idempotency key, repeats at most the one message it had in flight.
"""

from __future__ import annotations

import os
import re
import signal
from collections import Counter
from pathlib import Path

import httpx
from aiohttp import web

from signal_schema import Envelope
from tests import schema_factories as factories
from tests.fixtures.receivers import Received, Receiver
from tests.fixtures.telegram import Call, LocalTelegram
from tests.integration.alert_system.harness import upstream_bus
from tests.integration.services.processes import (
    TOKEN,
    ServiceProcess,
    free_port,
    metric_value,
    service_env,
)

BOT_TOKEN = "123456:TEST-sigkill-token"
CHAT = 1001
BEFORE, AFTER = 40, 5
KILL_AT = 25
WEBHOOK_CONCURRENCY = 8


SIGNAL_ID = re.compile(r"01HK3TQ8W5C9J2ZV7E4M6T\d{4}")


def signal_id(n: int) -> str:
    return f"01HK3TQ8W5C9J2ZV7E4M6T{n:04d}"


class KillingReceiver(Receiver):
    """A webhook receiver that takes the `KILL_AT`-th alert, then SIGKILLs `victim` before the
    200 goes out: the receiver has the alert, the sender never learns it."""

    victim: int | None = None
    cut_off: str | None = None

    async def handle(self, request: web.Request) -> web.Response:
        answer = await super().handle(request)  # read and recorded, not yet answered
        if self.victim is not None and len(self.requests) >= KILL_AT:
            os.kill(self.victim, signal.SIGKILL)
            self.victim, self.cut_off = None, request.headers["X-NTX-Alert-Id"]
        return answer


def webhook_ids(requests: list[Received]) -> Counter[str]:
    return Counter(r.headers["X-NTX-Alert-Id"] for r in requests if r.status < 300)


def telegram_ids(calls: list[Call]) -> Counter[str]:
    found = Counter[str]()
    for call in calls:
        if call.method == "sendMessage":
            found[SIGNAL_ID.findall(call.params["text"])[-1]] += 1
    return found


def env(home: Path, model_engine: str, hook: str, telegram: str) -> dict[str, str]:
    values = service_env(
        "alert_system",
        home,
        bus_port=free_port(),
        http_port=free_port(),
        upstream_urls={"model_engine": model_engine},
    )
    return values | {
        "ALERT_SYSTEM__WEBHOOK__URL": hook,
        "ALERT_SYSTEM__WEBHOOK__HMAC_KEY": "sigkill-key",
        "ALERT_SYSTEM__WEBHOOK__RATE_PER_S": "20",
        "ALERT_SYSTEM__WEBHOOK__CONCURRENCY": str(WEBHOOK_CONCURRENCY),
        "ALERT_SYSTEM__TELEGRAM__BOT_TOKEN": BOT_TOKEN,
        "ALERT_SYSTEM__TELEGRAM__CHAT_IDS": str(CHAT),
        "ALERT_SYSTEM__TELEGRAM__BASE_URL": f"{telegram}/bot",
        "ALERT_SYSTEM__TELEGRAM__RATE_PER_S": "20",
        "ALERT_SYSTEM__TELEGRAM__CONCURRENCY": "4",  # ignored: Telegram has no idempotency key
        "ALERT_SYSTEM__SUMMARY__ENABLED": "false",
    }


async def start(values: dict[str, str]) -> ServiceProcess:
    process = await ServiceProcess.start("alert_system", values)
    await process.event("upstream_subscribed", upstream="model_engine")
    return process


async def test_sigkill_mid_stream_resends_only_what_was_in_flight(tmp_path: Path) -> None:
    receiver = KillingReceiver(hmac_key=b"sigkill-key")
    telegram = LocalTelegram(BOT_TOKEN)
    signals = [factories.rebuild(factories.signal(), signal_id=signal_id(n)) for n in range(60)]
    expected = {f"Signal:{s.signal_id}" for s in signals[: BEFORE + AFTER]}
    async with receiver.running(), telegram.running(), upstream_bus(TOKEN) as model_engine:
        values = env(tmp_path, model_engine.url, receiver.url, telegram.url)
        first = await start(values)
        try:
            receiver.victim = first.process.pid
            for message in signals[:BEFORE]:
                await model_engine.publish(Envelope.of(message))
            assert await first.wait(30) == -signal.SIGKILL
        finally:
            await first.kill()
        killed_at = len(telegram.calls)
        second = await start(values)
        try:
            for message in signals[BEFORE : BEFORE + AFTER]:
                await model_engine.publish(Envelope.of(message))
            await receiver.wait_until(lambda rs: set(webhook_ids(rs)) >= expected, 60)
            await telegram.wait_until(
                lambda cs: {f"Signal:{i}" for i in telegram_ids(cs)} >= expected, 60
            )
            http = f"http://127.0.0.1:{values['ALERT_SYSTEM__HTTP__PORT']}"
            async with httpx.AsyncClient() as client:  # /metrics needs no token
                exposition = (await client.get(f"{http}/metrics")).text
        finally:
            await second.stop()
    hooks, chats = webhook_ids(receiver.requests), telegram_ids(telegram.calls)
    assert set(hooks) == expected
    assert {f"Signal:{i}" for i in chats} == expected
    assert all(r.signature_ok for r in receiver.requests)
    # only what was in flight at the kill went out twice: receivers dedup the webhook by id
    webhook_repeats = {i for i, n in hooks.items() if n > 1}
    telegram_repeats = {i for i, n in chats.items() if n > 1}
    assert receiver.cut_off in webhook_repeats  # received, never marked: in doubt, so sent again
    assert len(webhook_repeats) <= WEBHOOK_CONCURRENCY, webhook_repeats
    assert max(hooks.values()) <= 2
    assert len(telegram_repeats) <= 1, telegram_repeats
    assert max(chats.values()) <= 2
    assert killed_at > 0  # Telegram was mid-stream too
    in_doubt = [line for line in second.lines if line.get("event") == "alert_in_doubt"]
    assert 1 <= len(in_doubt) <= WEBHOOK_CONCURRENCY + 1
    assert {line["channel"] for line in in_doubt} <= {"webhook", "telegram"}
    assert metric_value(exposition, "ntx_alert_in_doubt_resent_total") == len(in_doubt)
