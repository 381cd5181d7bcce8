"""Risk gate, kill switch and approvals (exec_core; commands from CLI, Telegram, dashboard)."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.primitives import (
    DecimalStr,
    Direction,
    Identifier,
    NonNegativeDecimal,
    Probability,
    ShortText,
    Side,
    Symbol,
    UtcDatetime,
)
from signal_schema.signals import FeatureAttribution

Channel = Literal["auto", "cli", "telegram", "dashboard", "api", "timeout", "system"]
"""Where a human (or the system) made a decision."""


class RuleVerdict(BaseModel):
    """One risk rule's verdict on one signal."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
    )
    rule: str = Field(min_length=1, max_length=64)
    passed: bool
    reason: ShortText


class RiskDecision(Message):
    """The risk gate's answer to a signal; `quantity` is 0 when refused."""

    TOPIC: ClassVar[str] = topics.RISK_DECISION
    type: Literal["RiskDecision"] = "RiskDecision"
    decision_id: Identifier
    signal_id: Identifier
    symbol: Symbol
    accepted: bool
    side: Side | None
    quantity: NonNegativeDecimal
    verdicts: tuple[RuleVerdict, ...]

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        if self.accepted and not all(v.passed for v in self.verdicts):
            raise ValueError("an accepted decision cannot hold a failed rule")
        if not self.accepted and self.quantity != 0:
            raise ValueError("a refused decision has quantity 0")
        return self


class RiskLimitBreached(Message):
    """A limit was crossed (drawdown cap, attribution drift, ...)."""

    TOPIC: ClassVar[str] = topics.RISK_LIMIT_BREACHED
    type: Literal["RiskLimitBreached"] = "RiskLimitBreached"
    limit: str = Field(min_length=1, max_length=64)
    scope: str = Field(min_length=1, max_length=128)
    value: float
    threshold: float
    halted: bool
    message: ShortText


class SetKillSwitch(Message):
    """Command: engage or release the kill switch (halts all new entries)."""

    TOPIC: ClassVar[str] = topics.RISK_KILL_SWITCH_SET
    type: Literal["SetKillSwitch"] = "SetKillSwitch"
    engaged: bool
    reason: ShortText
    requested_by: str = Field(min_length=1, max_length=128)
    channel: Channel


class KillSwitchChanged(Message):
    """Event: the kill switch changed state."""

    TOPIC: ClassVar[str] = topics.RISK_KILL_SWITCH_CHANGED
    type: Literal["KillSwitchChanged"] = "KillSwitchChanged"
    engaged: bool
    reason: ShortText
    changed_by: str = Field(min_length=1, max_length=128)
    channel: Channel


class ApprovalRequested(Message):
    """A trade waits for a human; carries the why-card."""

    TOPIC: ClassVar[str] = topics.APPROVAL_REQUESTED
    type: Literal["ApprovalRequested"] = "ApprovalRequested"
    approval_id: Identifier
    signal_id: Identifier
    decision_id: Identifier
    symbol: Symbol
    direction: Direction
    confidence: Probability
    side: Side
    quantity: NonNegativeDecimal
    price: DecimalStr
    top_attributions: tuple[FeatureAttribution, ...]
    verdicts: tuple[RuleVerdict, ...]
    expires_at: UtcDatetime


class ApprovalDecided(Message):
    """Who approved or rejected a pending trade, and through which channel."""

    TOPIC: ClassVar[str] = topics.APPROVAL_DECIDED
    type: Literal["ApprovalDecided"] = "ApprovalDecided"
    approval_id: Identifier
    approved: bool
    decided_by: str = Field(min_length=1, max_length=128)
    channel: Channel
    reason: ShortText | None = None
