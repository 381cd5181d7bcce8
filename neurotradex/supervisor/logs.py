"""Prefix and colour each child's log lines; JSON log records are shown compactly."""

from __future__ import annotations

import logging

import orjson
from rich.console import Console
from rich.text import Text

_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red")
_LEVEL_STYLE = {"WARNING": "yellow", "ERROR": "red", "CRITICAL": "bold red"}


class PrinterHandler(logging.Handler):
    """Send in-process log records (the gateway's) through a LogPrinter under one name."""

    def __init__(self, printer: LogPrinter, name: str) -> None:
        super().__init__()
        self._printer = printer
        self._name = name

    def emit(self, record: logging.LogRecord) -> None:
        """Print one record as `LEVEL logger: message`."""
        style = _LEVEL_STYLE.get(record.levelname, "")
        self._printer.line(
            self._name, f"{record.levelname:<7} {record.name}: {record.getMessage()}", style
        )


class LogPrinter:
    """Print `[service] line` with one colour per service."""

    def __init__(self, console: Console, names: list[str]) -> None:
        self._console = console
        width = max(len(n) for n in [*names, "ntx"])
        self._prefix = {
            name: Text(f"{name:<{width}} | ", style=_COLOURS[i % len(_COLOURS)])
            for i, name in enumerate(names)
        }
        self._own = Text(f"{'ntx':<{width}} | ", style="bold")

    def child(self, name: str, raw: bytes) -> None:
        """Print one line a child wrote."""
        self._console.print(self._prefix[name] + _render(raw), soft_wrap=True)

    def line(self, name: str, text: str, style: str = "") -> None:
        """Print a line on behalf of `name` (e.g. the in-process gateway)."""
        self._console.print(self._prefix[name] + Text(text, style=style), soft_wrap=True)

    def own(self, message: str, style: str = "") -> None:
        """Print a line of the supervisor itself."""
        self._console.print(self._own + Text(message, style=style), soft_wrap=True)


def _render(raw: bytes) -> Text:
    line = raw.decode(errors="replace").rstrip()
    if not line.startswith("{"):
        return Text(line)
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return Text(line)
    if not isinstance(record, dict) or "msg" not in record:
        return Text(line)
    level = str(record.get("level", "INFO"))
    text = Text(f"{level:<7} ", style=_LEVEL_STYLE.get(level, "dim"))
    text.append(f"{record.get('logger', '')}: {record['msg']}")
    if record.get("exc"):
        text.append(f"\n{record['exc']}", style="red")
    return text
