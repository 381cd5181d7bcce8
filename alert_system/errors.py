"""alert_system's errors: one base, and the runtime's three kinds (ARCHITECTURE §7)."""

from __future__ import annotations

import service_runtime


class AlertSystemError(service_runtime.ServiceError):
    """Base error of alert_system."""


class TemporaryError(AlertSystemError, service_runtime.TemporaryError):
    """Retried with backoff."""


class OperationalError(AlertSystemError, service_runtime.OperationalError):
    """Stop and alert a human."""


class InvalidMessageError(AlertSystemError, service_runtime.InvalidMessageError):
    """Log, count and drop the message."""
