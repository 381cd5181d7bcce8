"""Typed messages every NeuroTradeX service speaks (pydantic only)."""

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.envelope import MESSAGE_TYPES, AnyMessage, Envelope
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
from signal_schema.risk import (
    ApprovalDecided,
    ApprovalRequested,
    KillSwitchChanged,
    RiskDecision,
    RiskLimitBreached,
    RuleVerdict,
    SetKillSwitch,
)
from signal_schema.signals import (
    ClassProbabilities,
    Explanation,
    FeatureAttribution,
    ModelRef,
    Signal,
)
from signal_schema.system import AlertDelivered, AlertFailed, Heartbeat, LogRecord
from signal_schema.version import SCHEMA_VERSION

__all__ = [
    "MESSAGE_TYPES",
    "SCHEMA_VERSION",
    "AlertDelivered",
    "AlertFailed",
    "AnyMessage",
    "ApprovalDecided",
    "ApprovalRequested",
    "Bar",
    "CancelOrder",
    "ClassProbabilities",
    "Envelope",
    "Explanation",
    "FeatureAttribution",
    "FeatureFrame",
    "GapDetected",
    "Heartbeat",
    "KillSwitchChanged",
    "LogRecord",
    "Message",
    "ModelRef",
    "NewsItem",
    "OrderAccepted",
    "OrderCanceled",
    "OrderFilled",
    "OrderRejected",
    "PortfolioSnapshot",
    "PositionChanged",
    "RiskDecision",
    "RiskLimitBreached",
    "RuleVerdict",
    "SetKillSwitch",
    "Signal",
    "SubmitOrder",
    "topics",
]
