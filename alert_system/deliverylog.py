"""One delivery log per UTC day: ``NTX_HOME/logs/alerts/YYYY-MM-DD.log``, a JSON line each."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any


class DeliveryLog:
    """Append delivery outcomes to the day's file (no secrets: channel and target names only).

    Parameters
    ----------
    folder
        Where the daily files go (created on first write).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._day = ""
        self._file: IO[str] | None = None

    def write(self, outcome: str, **fields: Any) -> None:
        """Append one line: time, outcome and `fields`."""
        now = datetime.now(UTC)
        day = now.strftime("%Y-%m-%d")
        if day != self._day or self._file is None:
            self.close()
            self._folder.mkdir(parents=True, exist_ok=True)
            self._file = (self._folder / f"{day}.log").open("a", encoding="utf-8")
            self._day = day
        line = {"ts": now.isoformat(timespec="milliseconds"), "outcome": outcome, **fields}
        self._file.write(json.dumps(line, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        """Close the current file."""
        if self._file is not None:
            self._file.close()
            self._file = None
