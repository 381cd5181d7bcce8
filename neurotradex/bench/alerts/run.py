"""Offer signals at a fixed rate on a real bus; time signal.emitted → the receiver's 200.

alert_system runs in-process with its real ServiceHost, subscribed over websockets to a
bus standing in for model_engine; the webhook channel has its outbox and HMAC on.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from alert_system.service import AlertSystemService
from alert_system.settings import AlertSystemSettings, AlertSystemUpstream, WebhookSection
from neurotradex.bench.alerts.receiver import BenchReceiver
from service_runtime import BusSection, HttpSection, ServiceHost
from signal_bus import BusServer, BusServerSettings
from signal_schema import (
    ClassProbabilities,
    Envelope,
    Explanation,
    FeatureAttribution,
    ModelRef,
    Signal,
)

TOKEN = "bench-alerts-token"  # noqa: S105 - local bench only
KEY = "bench-alerts-hmac-key"
FEATURES = ("log_ret_1", "volume_z_24", "rsi_14", "macd_hist_pct", "atr_pct_14", "bb_width_20")


def make_signal(n: int) -> Signal:
    """Return a realistic signal numbered `n`."""
    now = datetime.now(UTC)
    attrs = tuple(
        FeatureAttribution(feature=f, value=0.1 * i, attribution=0.01 * (i - 2))
        for i, f in enumerate(FEATURES)
    )
    return Signal(
        ts_event=now,
        ts_init=now,
        signal_id=f"bench-{n:06d}",
        venue="binance",
        symbol="BTC/USDT",
        timeframe="1m",
        direction="up" if n % 2 else "down",
        probabilities=ClassProbabilities(up=0.6, down=0.25, flat=0.15),
        confidence=0.6,
        horizon_bars=4,
        price=Decimal("42475.23"),
        model=ModelRef(name="bench", version="1", manifest_sha256="0" * 64),
        ood_score=0.5,
        ood_flag=False,
        explanation=Explanation(
            method="deep_shap",
            output_space="probability:up",
            base_value=0.4,
            output_value=0.6,
            attributions=attrs,
            additivity_error=0.0,
        ),
    )


def _settings(home: Path, upstream_url: str, hook: str) -> AlertSystemSettings:
    values: dict[str, Any] = {
        "NTX_HOME": str(home),
        "NTX_BUS_TOKEN": TOKEN,
        "bus": BusSection(port=0),
        "http": HttpSection(port=0),
        "upstream": AlertSystemUpstream(model_engine_url=upstream_url, exec_core_url=upstream_url),
        "webhook": WebhookSection(url=SecretStr(hook), hmac_key=SecretStr(KEY), rate_per_s=1_000.0),
    }
    return AlertSystemSettings(**values)


async def _offer(bus: BusServer, rate: float, secs: float) -> dict[str, float]:
    sent: dict[str, float] = {}
    start = time.perf_counter()
    for n in range(int(rate * secs)):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        envelope = Envelope.of(make_signal(n))
        sent[f"Signal:{envelope.message.signal_id}"] = time.perf_counter()  # type: ignore[union-attr]
        await bus.publish(envelope)
    return sent


async def _bench(rate: float, secs: float, drain_secs: float, home: Path) -> dict[str, Any]:
    receiver = BenchReceiver(KEY.encode())
    upstream = BusServer(BusServerSettings(port=0, tokens=(SecretStr(TOKEN),)), service="bench")
    async with receiver.running(), upstream:
        settings = _settings(home, upstream.url, receiver.url)
        service = AlertSystemService(settings)
        host = ServiceHost.from_settings(service, settings)
        stop = asyncio.Event()
        task = asyncio.create_task(host.run(stop))
        try:
            await asyncio.wait_for(service.wait_subscribed(), 20)
            receiver.expected = int(rate * secs)
            sent = await _offer(upstream, rate, secs)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(receiver.done.wait(), drain_secs)
        finally:
            stop.set()
            await task
    return _summary(sent, receiver)


def _summary(sent: dict[str, float], receiver: BenchReceiver) -> dict[str, Any]:
    got = {k: v for k, v in receiver.answered.items() if k in sent}
    latencies = sorted((got[k] - sent[k]) * 1000 for k in got)
    span = (max(got.values()) - min(sent.values())) if got else 0.0
    p99_index = max(0, round(0.99 * len(latencies)) - 1)
    return {
        "offered": len(sent),
        "delivered": len(got),
        "bad_signatures": receiver.bad_signatures,
        "deliveries_per_s": round(len(got) / span, 1) if span else 0.0,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(latencies[p99_index], 2) if latencies else None,
        "lost": len(sent) - len(got),
    }


def run_alerts_bench(
    rate: float = 120.0, secs: float = 20.0, drain_secs: float = 20.0
) -> dict[str, Any]:
    """Run the benchmark; return offered, delivered, deliveries_per_s, p50_ms, p99_ms, lost."""
    with tempfile.TemporaryDirectory(prefix="ntx-bench-alerts-") as home:
        return asyncio.run(_bench(rate, secs, drain_secs, Path(home)))
