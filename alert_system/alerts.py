"""Turn bus messages into alerts: one dedup key, the fields filters need, a template context."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from signal_schema import (
    AnyMessage,
    ApprovalRequested,
    Envelope,
    KillSwitchChanged,
    OrderFilled,
    RiskDecision,
    RiskLimitBreached,
    Signal,
)

ALERTED = (
    Signal,
    RiskDecision,
    RiskLimitBreached,
    KillSwitchChanged,
    OrderFilled,
    ApprovalRequested,
)
"""Message types that become alerts."""

DAILY_SUMMARY = "DailySummary"


@dataclass(frozen=True)
class Alert:
    """One thing to tell humans, before it is rendered for a channel.

    Parameters
    ----------
    alert_id
        Dedup key: the same upstream event always gives the same id, so a restart or a
        replayed message never sends twice.
    kind
        The message type (``Signal``, ``OrderFilled``, ..., ``DailySummary``).
    source_topic
        Bus topic it came from.
    context
        The message as JSON-compatible data, for the templates.
    """

    alert_id: str
    kind: str
    source_topic: str
    context: dict[str, Any]
    correlation_id: str | None = None
    symbol: str | None = None
    confidence: float | None = None
    direction: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _natural_id(message: AnyMessage) -> str:
    if isinstance(message, Signal | RiskDecision):
        return message.signal_id if isinstance(message, Signal) else message.decision_id
    if isinstance(message, OrderFilled):
        return message.trade_id
    if isinstance(message, ApprovalRequested):
        return message.approval_id
    raw = message.__pydantic_serializer__.to_json(message)
    return hashlib.sha256(raw).hexdigest()[:32]


def alert_from(envelope: Envelope) -> Alert | None:
    """Return the alert `envelope` raises, or None for a message type nobody is told about."""
    message = envelope.message
    if not isinstance(message, ALERTED):
        return None
    confidence = getattr(message, "confidence", None)
    return Alert(
        alert_id=f"{message.type}:{_natural_id(message)}"[:128],
        kind=message.type,
        source_topic=envelope.topic,
        context=message.model_dump(mode="json"),
        correlation_id=envelope.correlation_id,
        symbol=getattr(message, "symbol", None),
        confidence=float(confidence) if confidence is not None else None,
        direction=getattr(message, "direction", None),
    )


def top_attributions(context: dict[str, Any], n: int = 5) -> list[dict[str, Any]]:
    """Return the `n` largest attributions by magnitude of a Signal's context."""
    explanation = context.get("explanation") or {}
    items = list(explanation.get("attributions") or context.get("top_attributions") or [])
    items.sort(key=lambda a: abs(float(a.get("attribution", 0.0))), reverse=True)
    return items[:n]
