"""Errors of the gateway."""


class GatewayError(Exception):
    """Base error of the gateway."""


class OperationalError(GatewayError):
    """Retrying will not help; a human must act (unreadable token file, port in use)."""
