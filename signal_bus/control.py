"""Control frames of the `/ws` protocol (subscribe handshake and errors)."""

from __future__ import annotations

from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator

from signal_bus.codec import BAD_CONTROL
from signal_bus.errors import InvalidMessageError
from signal_bus.topics import validate_patterns

CONTROL_PREFIX = b'{"op":'
"""Every frame the server sends that is not an Envelope starts with these bytes."""


class Subscribe(BaseModel):
    """First frame a consumer sends; browsers carry their token here, never in the URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    op: Literal["subscribe"]
    topics: tuple[str, ...]
    token: SecretStr | None = None

    @field_validator("topics")
    @classmethod
    def _check_topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return validate_patterns(value)


def parse_subscribe(raw: bytes | str) -> Subscribe:
    """Parse the handshake frame or raise InvalidMessageError(bad_control)."""
    try:
        return Subscribe.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        raise InvalidMessageError(BAD_CONTROL, f"subscribe frame: {first['msg']}") from None


def subscribe_frame(topics: tuple[str, ...], token: str | None = None) -> bytes:
    """Encode the handshake frame a consumer sends."""
    body: dict[str, object] = {"op": "subscribe", "topics": list(topics)}
    if token is not None:
        body["token"] = token
    return orjson.dumps(body)


def subscribed_frame(topics: tuple[str, ...]) -> bytes:
    """Encode the server's acknowledgement; messages follow it."""
    return orjson.dumps({"op": "subscribed", "topics": list(topics)})


def error_frame(reason: str, detail: str) -> bytes:
    """Encode a rejection the server reports back to the sender."""
    return orjson.dumps({"op": "error", "reason": reason, "detail": detail})


class ServerControl(BaseModel):
    """A control frame as a consumer reads it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    op: Literal["subscribed", "error"]
    topics: tuple[str, ...] = ()
    reason: str | None = None
    detail: str | None = None
