"""data_core's errors: one base, and the runtime's three kinds (ARCHITECTURE §7)."""

from __future__ import annotations

import service_runtime


class DataCoreError(service_runtime.ServiceError):
    """Base error of data_core."""


class TemporaryError(DataCoreError, service_runtime.TemporaryError):
    """Retried with backoff."""


class OperationalError(DataCoreError, service_runtime.OperationalError):
    """Stop and alert a human."""


class InvalidMessageError(DataCoreError, service_runtime.InvalidMessageError):
    """Log, count and drop the message."""


class FeedError(InvalidMessageError):
    """A news feed could not be fetched or parsed; it is reported and skipped, never fatal.

    ``reason`` is the counter label (``bad_xml``, ``unsafe_xml``, ``not_a_feed``, ``bad_json``,
    ``http_status``, ``network``, ``too_large``); ``detail`` goes to the log.
    """
