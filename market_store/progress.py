"""A progress bar per series while candles download (standard error, so JSON output stays clean)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from market_store.times import iso_utc
from market_store.venues.report import BackfillReport


class DownloadProgress:
    """Show how far each series' download has come; pass the object as ``on_progress``.

    Parameters
    ----------
    console
        Where the bars go (default: standard error).
    """

    def __init__(self, console: Console | None = None) -> None:
        columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
        self._bars = Progress(*columns, console=console or Console(stderr=True))
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> Self:
        self._bars.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bars.stop()

    def __call__(self, report: BackfillReport) -> None:
        """Move the bar of `report`'s series to the newest candle it has stored."""
        name = str(report.key)
        total = max(1, report.until_ms - report.since_ms)
        if name not in self._tasks:
            self._tasks[name] = self._bars.add_task(name, total=total)
        reached = report.last_open_ms
        done = 0 if reached is None else reached + report.key.timeframe_ms - report.since_ms
        shown = f"{name} {iso_utc(reached)[:16]}" if reached is not None else name
        self._bars.update(self._tasks[name], completed=min(done, total), description=shown)
