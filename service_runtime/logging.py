"""Configure logging once, from a service's ``__main__``: JSON lines (or text) on stdout.

A JSON line carries ``ts``, ``level``, ``service``, ``logger``, ``msg``, ``correlation_id``
(from a context variable), ``exc`` when an exception is attached, and any ``extra={...}``
fields (e.g. ``event``). Known secret values are replaced by ``**********`` in every line.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
from pydantic import SecretStr

from service_runtime.sections import LogSection

REDACTED = "**********"
_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_IGNORED_EXTRAS = frozenset({"color_message", "websocket"})
_CHATTY = ("websockets",)
"""Loggers that write a line per HTTP probe at INFO; kept at WARNING unless DEBUG is asked."""
_TEXT_FORMAT = "%(asctime)s %(levelname)-8s %(service)s %(name)s [%(correlation_id)s] %(message)s"


def current_correlation_id() -> str | None:
    """Return the correlation id of the message being handled, if any."""
    return _correlation_id.get()


@contextlib.contextmanager
def correlation(correlation_id: str | None) -> Iterator[None]:
    """Tag every log line written inside the block with `correlation_id`."""
    token = _correlation_id.set(correlation_id)
    try:
        yield
    finally:
        _correlation_id.reset(token)


class _Redactor:
    """Replace known secret values in a rendered line."""

    def __init__(self, secrets: Iterable[SecretStr]) -> None:
        values = {s.get_secret_value() for s in secrets} - {""}
        escaped = {orjson.dumps(v).decode()[1:-1] for v in values}  # as it appears in JSON
        self._values = sorted(values | escaped, key=len, reverse=True)

    def __call__(self, line: str) -> str:
        for value in self._values:
            line = line.replace(value, REDACTED)
        return line


class JsonFormatter(logging.Formatter):
    """Render one record as one JSON object on one line."""

    def __init__(self, service: str, redact: _Redactor) -> None:
        super().__init__()
        self._service = service
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line (without the newline)."""
        body: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "msg": record.getMessage(),
            "correlation_id": _correlation_id.get(),
        }
        if record.exc_info:
            body["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            body["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _IGNORED_EXTRAS and key not in body:
                body[key] = value
        return self._redact(orjson.dumps(body, default=str).decode())


class TextFormatter(logging.Formatter):
    """Render a record as one human-readable line."""

    def __init__(self, service: str, redact: _Redactor) -> None:
        super().__init__(_TEXT_FORMAT)
        self._service = service
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as text, tagged with service and correlation id."""
        record.service = self._service
        record.correlation_id = _correlation_id.get() or "-"
        return self._redact(super().format(record))


def configure_logging(
    service: str,
    section: LogSection,
    *,
    secrets: Iterable[SecretStr] = (),
    stream: TextIO | None = None,
) -> None:
    """Send every logger's records to `stream` (stdout) as JSON lines or text.

    Parameters
    ----------
    service
        Name written on every line.
    section
        The service's ``log`` section: level and format.
    secrets
        Values never to appear in a line (the bus token, API keys).
    stream
        Where lines go; stdout when None.
    """
    redact = _Redactor(secrets)
    handler = logging.StreamHandler(sys.stdout if stream is None else stream)
    if section.format == "json":
        handler.setFormatter(JsonFormatter(service, redact))
    else:
        handler.setFormatter(TextFormatter(service, redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(section.level)
    chatty_level = logging.NOTSET if section.level == "DEBUG" else logging.WARNING
    for name in _CHATTY:
        logging.getLogger(name).setLevel(chatty_level)
    logging.captureWarnings(True)


def is_configured() -> bool:
    """Return whether the root logger has a handler (`configure_logging` ran)."""
    return bool(logging.getLogger().handlers)
