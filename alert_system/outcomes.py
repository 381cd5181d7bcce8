"""Record a delivery's final outcome: the daily log and ``alert.delivered``/``alert.failed``."""

from __future__ import annotations

from datetime import UTC, datetime

from alert_system.deliverylog import DeliveryLog
from alert_system.outbox import Row
from signal_bus import Publisher
from signal_schema import AlertDelivered, AlertFailed, Envelope
from signal_schema.system import AlertChannel


async def delivered(
    bus: Publisher,
    daily_log: DeliveryLog,
    channel: AlertChannel,
    row: Row,
    attempts: int,
    latency_ms: float,
) -> None:
    """Log and publish that `row` was delivered after `attempts` tries."""
    daily_log.write(
        "delivered",
        alert_id=row.alert_id,
        channel=row.channel,
        target=row.target,
        attempts=attempts,
        latency_ms=round(latency_ms, 2),
    )
    now = datetime.now(UTC)
    message = AlertDelivered(
        ts_event=now,
        ts_init=now,
        alert_id=row.alert_id,
        channel=channel,
        target=row.target,
        source_topic=row.source_topic,
        attempts=attempts,
        latency_ms=latency_ms,
    )
    await bus.publish(Envelope.of(message))


async def failed(
    bus: Publisher,
    daily_log: DeliveryLog,
    channel: AlertChannel,
    row: Row,
    attempts: int,
    reason: str,
) -> None:
    """Log and publish that `row` failed for good after `attempts` tries."""
    daily_log.write(
        "failed",
        alert_id=row.alert_id,
        channel=row.channel,
        target=row.target,
        attempts=attempts,
        error=reason,
    )
    now = datetime.now(UTC)
    message = AlertFailed(
        ts_event=now,
        ts_init=now,
        alert_id=row.alert_id,
        channel=channel,
        target=row.target,
        source_topic=row.source_topic,
        attempts=attempts,
        error=reason[:500],
        permanent=True,
    )
    await bus.publish(Envelope.of(message))
