"""Background tasks that are tracked: each failure is logged with its traceback and kept."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class BackgroundTasks:
    """Start, watch and cancel a service's long-running tasks.

    A task that ends by raising is logged at ERROR with its traceback; the first such
    exception is kept in `failure` and `failed` is set, so the host can stop the service
    rather than run on without it.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()
        self.failed = asyncio.Event()
        self.failure: BaseException | None = None

    def spawn(self, coro: Coroutine[Any, Any, object], *, name: str) -> asyncio.Task[object]:
        """Run `coro` as a tracked task called `name`."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    def _done(self, task: asyncio.Task[object]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        log.error("background task %s failed", task.get_name(), exc_info=exc)
        if self.failure is None:
            self.failure = exc
        self.failed.set()

    async def cancel_all(self, timeout_secs: float = 5.0) -> None:
        """Cancel every task and wait (at most `timeout_secs`) for them to finish."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout_secs)
        for task in pending:
            log.error("background task %s ignored cancellation", task.get_name())
