"""How CLI commands print results: `--json` puts one JSON object on the last line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table


def emit(result: Mapping[str, Any], *, as_json: bool, title: str) -> None:
    """Print `result` as one JSON line, or as a table for people."""
    if as_json:
        print(orjson.dumps(dict(result)).decode())
        return
    table = Table(title=title, show_header=False)
    for key, value in result.items():
        table.add_row(key, str(value))
    Console().print(table)
