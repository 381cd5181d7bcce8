"""Checks a signal must pass before the risk gate sizes it."""

from exec_core.validation.checks import CHECKS, SignalCheck, ValidationContext, validate_signal

__all__ = ["CHECKS", "SignalCheck", "ValidationContext", "validate_signal"]
