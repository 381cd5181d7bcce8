"""Worker processes (servers, clients) that the orchestrator drives over a pipe.

Each worker runs a uvloop event loop, answers `(True, value)` once ready, then runs each
command `(name, argument)` as a task and answers `(True, result)` or `(False, error)` in turn.
A thread reads the pipe, so replies (blocking sends) never meet a non-blocking socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import threading
import traceback
from collections.abc import Awaitable, Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from bench.bus.specs import BaselineOptions, OursOptions, WorkerOptions

Handler = Callable[[Any], Awaitable[object]]
STOP = "stop"


class BenchError(RuntimeError):
    """A worker failed or did not answer in time."""


async def serve_commands(conn: Connection, handlers: Mapping[str, Handler]) -> None:
    """Run commands from `conn` until `stop`, each in its own task."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[str, object]] = asyncio.Queue()

    def pump() -> None:  # a thread: Connection.recv blocks, and the pipe must stay blocking
        while True:
            try:
                item = conn.recv()
            except (EOFError, OSError):
                item = (STOP, None)
            loop.call_soon_threadsafe(inbox.put_nowait, item)
            if item[0] == STOP:
                return

    threading.Thread(target=pump, name="bench-commands", daemon=True).start()
    tasks: set[asyncio.Task[None]] = set()
    try:
        while True:
            name, argument = await inbox.get()
            if name == STOP:
                break
            task = asyncio.create_task(_answer(conn, handlers[name], argument))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    finally:
        for task in tasks:
            task.cancel()


async def _answer(conn: Connection, handler: Handler, argument: object) -> None:
    try:
        result = await handler(argument)
    except Exception as exc:
        conn.send((False, f"{exc!r}\n{traceback.format_exc()}"))
    else:
        conn.send((True, result))


def _entry(conn: Connection, options: WorkerOptions) -> None:
    import uvloop

    try:
        uvloop.run(_main(conn, options))
    except Exception as exc:
        conn.send((False, f"{exc!r}\n{traceback.format_exc()}"))


async def _main(conn: Connection, options: WorkerOptions) -> None:
    # Imported here: only the baseline process needs FastAPI, only ours needs signal_bus.
    if isinstance(options, OursOptions):
        from bench.bus.servers import ours_main

        await ours_main(conn, options)
    elif isinstance(options, BaselineOptions):
        from bench.bus.baseline import baseline_main

        await baseline_main(conn, options)
    else:
        from bench.bus.servers import clients_main

        await clients_main(conn)


class Worker:
    """A started worker process and its end of the pipe."""

    def __init__(self, role: str, options: WorkerOptions) -> None:
        context = multiprocessing.get_context("spawn")
        self.role = role
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_entry, args=(child, options), name=f"bus-bench-{role}", daemon=True
        )
        self._process.start()
        child.close()

    def send(self, name: str, argument: object = None) -> None:
        """Start command `name`; collect its answer with `wait`."""
        self._conn.send((name, argument))

    def wait(self, timeout: float) -> Any:
        """Return the next answer, raising `BenchError` on failure or after `timeout` seconds."""
        if not self._conn.poll(timeout):
            raise BenchError(f"the {self.role} worker gave no answer within {timeout:.0f} s")
        try:
            ok, value = self._conn.recv()
        except EOFError:
            raise BenchError(f"the {self.role} worker exited unexpectedly") from None
        if not ok:
            raise BenchError(f"the {self.role} worker failed: {value}")
        return value

    def call(self, name: str, argument: object, timeout: float) -> Any:
        """Run one command and return its result."""
        self.send(name, argument)
        return self.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the worker to stop; terminate it if it does not within `timeout` seconds."""
        with contextlib.suppress(OSError):
            self._conn.send((STOP, None))
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout)
        self._conn.close()
