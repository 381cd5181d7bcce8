"""Decode frames into Envelopes, naming why a frame was rejected."""

from __future__ import annotations

from typing import Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from signal_bus.errors import InvalidMessageError
from signal_schema import Envelope

MALFORMED_JSON: Final = "malformed_json"
UNKNOWN_TYPE: Final = "unknown_type"
SCHEMA_VERSION: Final = "schema_version"
WRONG_TOPIC: Final = "wrong_topic"
INVALID_MESSAGE: Final = "invalid_message"
NOT_ACCEPTED: Final = "not_accepted"
BAD_CONTROL: Final = "bad_control"
REJECT_REASONS: Final = (
    MALFORMED_JSON,
    UNKNOWN_TYPE,
    SCHEMA_VERSION,
    WRONG_TOPIC,
    INVALID_MESSAGE,
    NOT_ACCEPTED,
    BAD_CONTROL,
)


def _reason(errors: list[ErrorDetails]) -> str:
    kinds = {e["type"] for e in errors}
    if "json_invalid" in kinds:
        return MALFORMED_JSON
    if kinds & {"union_tag_invalid", "union_tag_not_found"}:
        return UNKNOWN_TYPE
    if any(e["loc"] == ("schema_version",) for e in errors):
        return SCHEMA_VERSION
    if any("belongs on topic" in e["msg"] for e in errors):
        return WRONG_TOPIC
    return INVALID_MESSAGE


def _summary(errors: list[ErrorDetails]) -> str:
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "frame"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


def decode_envelope(raw: bytes | str) -> Envelope:
    """Validate one frame as an Envelope, or raise InvalidMessageError with a reason."""
    try:
        return Envelope.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        raise InvalidMessageError(_reason(errors), _summary(errors)) from None
