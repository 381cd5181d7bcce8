"""Walk-forward evaluation: protocol, baselines, metrics, report and the live-broker gate.

``run_walk_forward`` scores models out of sample only (rolling training windows, purged test
quarters); ``gate_passes`` decides whether a model's out-of-sample metrics allow live trading.
"""

from model_engine.evaluation.config import ProtocolConfig, quick_config
from model_engine.evaluation.gate import GateResult, GateSection, GateThresholds, gate_passes

__all__ = [
    "GateResult",
    "GateSection",
    "GateThresholds",
    "ProtocolConfig",
    "gate_passes",
    "quick_config",
]
