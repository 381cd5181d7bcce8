"""How CLI commands print results: `--json` puts one JSON object on the last line."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

LIGHTNING_LOGGERS = ("pytorch_lightning", "lightning_fabric")


def quiet_training_logs() -> None:
    """Keep Lightning's device and checkpoint lines off the console (verbs that train call it).

    Lightning sets its loggers to INFO when imported, so it is imported here first.
    """
    import pytorch_lightning  # noqa: F401 - its import resets the levels set below

    for name in LIGHTNING_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def emit(result: Mapping[str, Any], *, as_json: bool, title: str) -> None:
    """Print `result` as one JSON line, or as a table for people."""
    if as_json:
        print(orjson.dumps(dict(result)).decode())
        return
    table = Table(title=title, show_header=False)
    for key, value in result.items():
        table.add_row(key, str(value))
    Console().print(table)
