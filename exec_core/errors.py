"""exec_core's errors: one base, and the runtime's three kinds (ARCHITECTURE §7)."""

from __future__ import annotations

import service_runtime


class ExecCoreError(service_runtime.ServiceError):
    """Base error of exec_core."""


class TemporaryError(ExecCoreError, service_runtime.TemporaryError):
    """Retried with backoff."""


class OperationalError(ExecCoreError, service_runtime.OperationalError):
    """Stop and alert a human."""


class InvalidMessageError(ExecCoreError, service_runtime.InvalidMessageError):
    """Log, count and drop the message."""
