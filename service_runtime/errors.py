"""The error kinds of ARCHITECTURE §7, shared by every service.

Each kind also subclasses signal_bus's error of the same kind, so one ``except`` catches a
failure whether the transport or the service raised it (e.g. `run_service` stops on any
``signal_bus.OperationalError``). A service's own ``errors.py`` derives its base error from
`ServiceError` and its kinds from these.
"""

from __future__ import annotations

import signal_bus


class ServiceError(Exception):
    """Base error of a service."""


class TemporaryError(ServiceError, signal_bus.TemporaryError):
    """Retried with backoff; the only kind that is retried."""


class OperationalError(ServiceError, signal_bus.OperationalError):
    """Retrying will not help: stop and alert a human (port in use, bad settings)."""


class SettingsError(OperationalError):
    """The environment does not describe a runnable service."""


class InvalidMessageError(ServiceError, signal_bus.InvalidMessageError):
    """A message was rejected: log it, count it under `reason`, drop it."""
