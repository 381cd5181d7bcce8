"""SIGKILL during a retry loop loses nothing, and the alert is sent once after restart."""

from __future__ import annotations

import signal
from pathlib import Path

from signal_schema import Envelope
from tests import schema_factories as factories
from tests.fixtures.receivers import Receiver, Reply
from tests.integration.alert_system.harness import upstream_bus
from tests.integration.services.processes import (
    TOKEN,
    ServiceProcess,
    free_port,
    service_env,
)

FIRST = factories.signal()
SENTINEL = factories.rebuild(FIRST, signal_id="01HK3TQ8W5C9J2ZV7E4M6T1ZZZ")


def env(home: Path, model_engine: str, hook: str) -> dict[str, str]:
    values = service_env(
        "alert_system",
        home,
        bus_port=free_port(),
        http_port=free_port(),
        upstream_urls={"model_engine": model_engine},
    )
    return values | {
        "ALERT_SYSTEM__WEBHOOK__URL": hook,
        "ALERT_SYSTEM__WEBHOOK__HMAC_KEY": "restart-key",
        "ALERT_SYSTEM__DELIVERY__BACKOFF_INITIAL_SECS": "0.05",
        "ALERT_SYSTEM__DELIVERY__BACKOFF_MAX_SECS": "0.1",
        "ALERT_SYSTEM__DELIVERY__MAX_ATTEMPTS": "1000",
    }


async def start(values: dict[str, str]) -> ServiceProcess:
    process = await ServiceProcess.start("alert_system", values)
    await process.event("upstream_subscribed", upstream="model_engine")
    return process


async def test_sigkill_during_retries_then_restart_sends_once(tmp_path: Path) -> None:
    receiver = Receiver([Reply(503) for _ in range(10_000)], hmac_key=b"restart-key")
    async with receiver.running(), upstream_bus(TOKEN) as model_engine:
        values = env(tmp_path, model_engine.url, receiver.url)
        process = await start(values)
        try:
            await model_engine.publish(Envelope.of(FIRST))
            await receiver.wait_requests(3)  # retrying with backoff
            process.process.send_signal(signal.SIGKILL)
            await process.wait()
        finally:
            await process.kill()
        receiver.script.clear()  # the receiver recovers
        process = await start(values)
        try:
            await model_engine.publish(Envelope.of(FIRST))  # a replay must not send again
            await model_engine.publish(Envelope.of(SENTINEL))
            await receiver.wait_successes(2)
        finally:
            await process.stop()
    ids = [r.headers["X-NTX-Alert-Id"] for r in receiver.successes]
    assert sorted(ids) == sorted([f"Signal:{FIRST.signal_id}", f"Signal:{SENTINEL.signal_id}"])
    assert all(r.signature_ok for r in receiver.requests)
