"""market_store's errors: one base, and the three kinds of ARCHITECTURE §7.

Each kind subclasses signal_bus's error of the same kind, as the services' kinds do, so a
service's ``except`` of a kind catches it whether the store, a venue or the bus raised it.
"""

from __future__ import annotations

import signal_bus


class MarketStoreError(Exception):
    """Base error of market_store."""


class TemporaryError(MarketStoreError, signal_bus.TemporaryError):
    """Retried with backoff (the venue is unreachable or rate-limits us)."""


class OperationalError(MarketStoreError, signal_bus.OperationalError):
    """Retrying will not help: stop and tell a human what to change."""


class InvalidMessageError(MarketStoreError, signal_bus.InvalidMessageError):
    """A payload was rejected: log it, count it under `reason`, drop it."""
