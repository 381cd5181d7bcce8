"""The risk gate: pure rules (one per module) in an explicit registry, sizing and state."""

from exec_core.risk.atr import AverageTrueRange
from exec_core.risk.context import RiskContext, drawdown_pct
from exec_core.risk.gate import GateResult, evaluate
from exec_core.risk.registry import RULES, Rule
from exec_core.risk.state import Book, KillSwitch, RiskState

__all__ = [
    "RULES",
    "AverageTrueRange",
    "Book",
    "GateResult",
    "KillSwitch",
    "RiskContext",
    "RiskState",
    "Rule",
    "drawdown_pct",
    "evaluate",
]
