"""Alerts delivery outcomes, heartbeats and logs."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.primitives import Identifier, ShortText, UtcDatetime

AlertChannel = Literal["telegram", "discord", "webhook"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class AlertDelivered(Message):
    """An alert reached its channel."""

    TOPIC: ClassVar[str] = topics.ALERT_DELIVERED
    type: Literal["AlertDelivered"] = "AlertDelivered"
    alert_id: Identifier
    channel: AlertChannel
    target: str = Field(min_length=1, max_length=128)
    source_topic: str = Field(min_length=1, max_length=64)
    attempts: int = Field(ge=1)
    latency_ms: float = Field(ge=0.0)


class AlertFailed(Message):
    """An alert could not be delivered (`permanent`: it will not be retried)."""

    TOPIC: ClassVar[str] = topics.ALERT_FAILED
    type: Literal["AlertFailed"] = "AlertFailed"
    alert_id: Identifier
    channel: AlertChannel
    target: str = Field(min_length=1, max_length=128)
    source_topic: str = Field(min_length=1, max_length=64)
    attempts: int = Field(ge=1)
    error: ShortText
    permanent: bool


class Heartbeat(Message):
    """A service is alive; `seq` counts up from 0 per process start."""

    TOPIC: ClassVar[str] = topics.SYSTEM_HEARTBEAT
    type: Literal["Heartbeat"] = "Heartbeat"
    service: str = Field(min_length=1, max_length=64)
    instance_id: Identifier
    seq: int = Field(ge=0)
    started_at: UtcDatetime
    status: Literal["ok", "degraded", "halted"] = "ok"


class LogRecord(Message):
    """One log line of a service, for the dashboard's live log."""

    TOPIC: ClassVar[str] = topics.SYSTEM_LOG
    type: Literal["LogRecord"] = "LogRecord"
    service: str = Field(min_length=1, max_length=64)
    level: LogLevel
    logger: str = Field(min_length=1, max_length=200)
    text: ShortText
