"""Errors of the bus transport."""


class BusError(Exception):
    """Base error of signal_bus."""


class TemporaryError(BusError):
    """Retried with backoff (connection refused, dropped, server restarting)."""

    retry_after_secs: float | None = None
    """The wait the other side asked for (an HTTP ``Retry-After``), when it said."""


class OperationalError(BusError):
    """Retrying will not help; a human must act (e.g. the token was refused)."""


class InvalidMessageError(BusError):
    """A frame was rejected; it is logged, counted and dropped."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
