"""Publish a service's log records on its own bus as `LogRecord`, for the dashboard's live log."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import UTC, datetime

from signal_bus import BusServer
from signal_schema import Envelope, LogRecord

SKIPPED_LOGGERS = ("signal_bus", "websockets", "uvicorn.access", "httpx", "httpcore")
"""Loggers never relayed: the bus's own (no loops) and per-request chatter."""
MAX_TEXT = 2_000
_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


class BusLogHandler(logging.Handler):
    """Turn each record at or above `level` into a `LogRecord` on `bus` (from any thread).

    Parameters
    ----------
    bus
        The service's started bus server.
    service
        The service's name.
    level
        Lowest level relayed.
    """

    def __init__(self, bus: BusServer, service: str, level: int = logging.INFO) -> None:
        super().__init__(level)
        self._bus = bus
        self._service = service
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._inside = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        """Publish `record` unless it comes from a skipped logger or from publishing itself."""
        if record.name.startswith(SKIPPED_LOGGERS) or getattr(self._inside, "active", False):
            return
        self._inside.active = True
        try:
            envelope = Envelope.of(self._message(record))
            if threading.get_ident() == self._loop_thread:
                self._bus.publish_nowait(envelope)
            elif not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._bus.publish_nowait, envelope)
        except Exception:  # a log line must never break the code that wrote it
            self.handleError(record)
        finally:
            self._inside.active = False

    def _message(self, record: logging.LogRecord) -> LogRecord:
        now = datetime.now(UTC)
        level = record.levelname if record.levelname in _LEVELS else "INFO"
        return LogRecord(
            ts_event=datetime.fromtimestamp(record.created, UTC),
            ts_init=now,
            service=self._service,
            level=level,  # type: ignore[arg-type]
            logger=record.name[:200] or "root",
            text=record.getMessage()[:MAX_TEXT],
        )
