"""One child process: start `python -m <service>`, stream its output, stop it politely."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Mapping

from neurotradex.supervisor.settings import ServiceSpec

LineSink = Callable[[str, bytes], None]


class ManagedProcess:
    """A service child in its own session, so a terminal's Ctrl-C reaches only the supervisor."""

    def __init__(self, spec: ServiceSpec, env: Mapping[str, str], on_line: LineSink) -> None:
        self.spec = spec
        self._env = dict(env)
        self._on_line = on_line
        self._proc: asyncio.subprocess.Process | None = None
        self._pump: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        """Pid of the running child, if any."""
        return None if self._proc is None else self._proc.pid

    async def start(self) -> int:
        """Spawn the child and start streaming its output; return its pid."""
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            self.spec.module,
            env=self._env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        self._pump = asyncio.create_task(self._stream(self._proc), name=f"log-{self.spec.name}")
        return self._proc.pid

    async def wait(self) -> int:
        """Wait until the child exits (its output fully read); return the exit code."""
        if self._proc is None:
            raise RuntimeError(f"{self.spec.name} was never started")
        code = await self._proc.wait()
        if self._pump is not None:
            await self._pump
        return code

    async def stop(self, timeout_secs: float) -> int | None:
        """Send SIGTERM, wait up to `timeout_secs`, then SIGKILL; return the exit code."""
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return None if proc is None else proc.returncode
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.wait(), timeout_secs)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            return await self.wait()

    async def _stream(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None  # noqa: S101 - set by create_subprocess_exec(PIPE)
        async for line in proc.stdout:
            self._on_line(self.spec.name, line)
