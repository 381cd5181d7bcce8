"""Base class of every message on the bus."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from signal_schema.primitives import UtcDatetime


class Message(BaseModel):
    """Immutable message: `ts_event` is when it happened, `ts_init` when we created it."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
    )

    TOPIC: ClassVar[str]

    ts_event: UtcDatetime
    ts_init: UtcDatetime
