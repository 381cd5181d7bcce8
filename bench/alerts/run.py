"""Offer signals at a fixed rate on a real bus; time signal.emitted → the receiver's 200.

Three processes: this one publishes Signals on a real `BusServer` (standing in for
model_engine); ``python -m alert_system`` subscribes to it over websockets and delivers
through its webhook channel (SQLite outbox and HMAC on); the receiver
(`bench.alerts.receiver`) verifies every signature. Latency is the receiver's
``time.monotonic_ns()`` at receipt minus this process's just before publishing (the same
system-wide clock on Linux).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from bench.alerts.procs import (
    Child,
    alert_system_env,
    start_alert_system,
    start_receiver,
)
from bench.alerts.signals import make_signal
from signal_bus import BusServer, BusServerSettings
from signal_schema import Envelope

TOKEN = "bench-alerts-token"  # noqa: S105 - local bench only
KEY = "bench-alerts-hmac-key"


async def _offer(bus: BusServer, rate: float, secs: float) -> dict[str, int]:
    envelopes = [Envelope.of(make_signal(n)) for n in range(int(rate * secs))]
    sent: dict[str, int] = {}
    start = time.monotonic()
    for n, envelope in enumerate(envelopes):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # pacing the offered load, not synchronisation
        sent[f"Signal:{envelope.message.signal_id}"] = time.monotonic_ns()  # type: ignore[union-attr]
        await bus.publish(envelope)
    return sent


async def _results(receiver_url: str, count: int, within: float) -> dict[str, Any]:
    url = receiver_url.removesuffix("/hook") + "/results"
    async with httpx.AsyncClient(timeout=within + 10) as client:
        response = await client.get(url, params={"count": count, "within": within})
    result: dict[str, Any] = response.json()
    return result


async def _bench(
    rate: float, secs: float, drain_secs: float, home: Path, profile: Path | None
) -> dict[str, Any]:
    upstream = BusServer(BusServerSettings(port=0, tokens=(SecretStr(TOKEN),)), service="bench")
    children: list[Child] = []
    try:
        receiver, url = await start_receiver(KEY)
        children.append(receiver)
        async with upstream:
            env = alert_system_env(home, TOKEN, upstream.url, url, KEY)
            alerts = await start_alert_system(env, profile)
            children.append(alerts)
            await alerts.wait_subscribed(within_secs=30)
            cpu_before = alerts.cpu_secs()
            sent = await _offer(upstream, rate, secs)
            got = await _results(url, len(sent), drain_secs)
            cpu_after = alerts.cpu_secs()
            await alerts.stop()
            if cpu_before is not None and cpu_after is not None and sent:
                got["service_cpu_ms_per_alert"] = round(
                    (cpu_after - cpu_before) * 1e3 / len(sent), 3
                )
    finally:
        for child in reversed(children):
            await child.stop()
    return _summary(sent, got)


def _summary(sent: dict[str, int], results: dict[str, Any]) -> dict[str, Any]:
    received: dict[str, int] = results["received"]
    got = {k: v for k, v in received.items() if k in sent}
    latencies = sorted((got[k] - sent[k]) / 1e6 for k in got)
    span = (max(got.values()) - min(sent.values())) / 1e9 if got else 0.0
    p99_index = max(0, round(0.99 * len(latencies)) - 1)
    return {
        "offered": len(sent),
        "delivered": len(got),
        "bad_signatures": results["bad_signatures"],
        "service_cpu_ms_per_alert": results.get("service_cpu_ms_per_alert"),
        "max_ms": round(latencies[-1], 2) if latencies else None,
        "deliveries_per_s": round(len(got) / span, 1) if span else 0.0,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(latencies[p99_index], 2) if latencies else None,
        "lost": len(sent) - len(got),
    }


def run_alerts_bench(
    rate: float = 120.0, secs: float = 20.0, drain_secs: float = 15.0, profile: Path | None = None
) -> dict[str, Any]:
    """Run the benchmark; return offered, delivered, deliveries_per_s, p50_ms, p99_ms, lost.

    `profile`: write a cProfile of the alert_system process there (slower; for diagnosis).
    """
    with tempfile.TemporaryDirectory(prefix="ntx-bench-alerts-") as home:
        return asyncio.run(_bench(rate, secs, drain_secs, Path(home), profile))
