"""Errors of the gateway: one base, and the runtime's kinds it raises (ARCHITECTURE §7)."""

import service_runtime


class GatewayError(service_runtime.ServiceError):
    """Base error of the gateway."""


class OperationalError(GatewayError, service_runtime.OperationalError):
    """Retrying will not help; a human must act (unreadable token file, port in use)."""
