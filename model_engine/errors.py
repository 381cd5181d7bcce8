"""model_engine's errors: one base, and the runtime's three kinds (ARCHITECTURE §7)."""

from __future__ import annotations

import service_runtime


class ModelEngineError(service_runtime.ServiceError):
    """Base error of model_engine."""


class TemporaryError(ModelEngineError, service_runtime.TemporaryError):
    """Retried with backoff."""


class OperationalError(ModelEngineError, service_runtime.OperationalError):
    """Stop and alert a human."""


class InvalidMessageError(ModelEngineError, service_runtime.InvalidMessageError):
    """Log, count and drop the message."""
