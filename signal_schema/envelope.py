"""The one wire type: `Envelope{schema_version, topic, correlation_id, message}`."""

from __future__ import annotations

from typing import Annotated, Literal, Self
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

from signal_schema.base import Message
from signal_schema.market import Bar, FeatureFrame, GapDetected, NewsItem
from signal_schema.orders import (
    CancelOrder,
    OrderAccepted,
    OrderCanceled,
    OrderFilled,
    OrderRejected,
    SubmitOrder,
)
from signal_schema.portfolio import PortfolioSnapshot, PositionChanged
from signal_schema.primitives import Identifier
from signal_schema.risk import (
    ApprovalDecided,
    ApprovalRequested,
    KillSwitchChanged,
    RiskDecision,
    RiskLimitBreached,
    SetKillSwitch,
)
from signal_schema.signals import Signal
from signal_schema.system import AlertDelivered, AlertFailed, Heartbeat, LogRecord
from signal_schema.version import SCHEMA_VERSION

AnyMessage = Annotated[
    Bar
    | GapDetected
    | NewsItem
    | FeatureFrame
    | Signal
    | RiskDecision
    | RiskLimitBreached
    | SetKillSwitch
    | KillSwitchChanged
    | ApprovalRequested
    | ApprovalDecided
    | SubmitOrder
    | CancelOrder
    | OrderAccepted
    | OrderRejected
    | OrderCanceled
    | OrderFilled
    | PositionChanged
    | PortfolioSnapshot
    | AlertDelivered
    | AlertFailed
    | Heartbeat
    | LogRecord,
    Field(discriminator="type"),
]

MESSAGE_TYPES: tuple[type[Message], ...] = (
    Bar, GapDetected, NewsItem, FeatureFrame, Signal, RiskDecision, RiskLimitBreached,
    SetKillSwitch, KillSwitchChanged, ApprovalRequested, ApprovalDecided, SubmitOrder,
    CancelOrder, OrderAccepted, OrderRejected, OrderCanceled, OrderFilled, PositionChanged,
    PortfolioSnapshot, AlertDelivered, AlertFailed, Heartbeat, LogRecord,
)  # fmt: skip
"""Every message class, in catalogue order."""


def _new_correlation_id() -> str:
    return uuid4().hex


class Envelope(BaseModel):
    """A message with its routing data. Decode with `Envelope.model_validate_json(raw)`."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    schema_version: Literal[1] = SCHEMA_VERSION
    topic: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=128)
    correlation_id: Identifier = Field(default_factory=_new_correlation_id)
    message: AnyMessage

    @model_validator(mode="after")
    def _check_topic(self) -> Self:
        expected = self.message.TOPIC
        if self.topic != expected:
            raise ValueError(
                f"{self.message.type} belongs on topic {expected!r}, not {self.topic!r}"
            )
        return self

    @classmethod
    def of(cls, message: AnyMessage, correlation_id: str | None = None) -> Envelope:
        """Wrap `message` on its own topic, keeping `correlation_id` when given."""
        if correlation_id is None:
            return cls(topic=message.TOPIC, message=message)
        return cls(topic=message.TOPIC, correlation_id=correlation_id, message=message)

    def to_json(self) -> bytes:
        """Serialise once to UTF-8 JSON bytes (the same bytes go to every subscriber)."""
        return self.__pydantic_serializer__.to_json(self)
