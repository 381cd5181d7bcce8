"""Start services in dependency order, restart the ones that die, stop all on request."""

from __future__ import annotations

import asyncio
import os
import time
from collections import deque
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

import httpx

from neurotradex.supervisor.bus_token import BUS_TOKEN_ENV
from neurotradex.supervisor.health import wait_healthy
from neurotradex.supervisor.logs import LogPrinter
from neurotradex.supervisor.process import ManagedProcess
from neurotradex.supervisor.settings import ServiceSpec, SupervisorSettings
from neurotradex.supervisor.state import PlatformStatus, ServiceStatus, now, write_status

FATAL_EXIT_CODE = 2
"""A service exits 2 when a restart cannot help (bad settings, port in use, token refused)."""

RunGateway = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class Supervisor:
    """Keep every service up; `run()` returns the exit code of `ntx up`."""

    def __init__(
        self,
        settings: SupervisorSettings,
        specs: tuple[ServiceSpec, ...],
        env: Mapping[str, str],
        printer: LogPrinter,
        status: PlatformStatus,
    ) -> None:
        self.settings = settings
        self.specs = specs
        self.printer = printer
        self.status = status
        self._procs = {s.name: ManagedProcess(s, env, printer.child) for s in specs}
        self._exits: dict[str, asyncio.Future[int]] = {}
        self._stop = asyncio.Event()
        self._http = httpx.AsyncClient()

    async def run(self, stop: asyncio.Event, run_gateway: RunGateway) -> int:
        """Run until `stop` is set; start the gateway alongside."""
        self._stop = stop
        gateway_stop = asyncio.Event()
        gateway = asyncio.create_task(run_gateway(gateway_stop), name="gateway")
        self.printer.own(f"gateway on {self.status.gateway_url}", style="bold")
        code = 0
        try:
            if await self._start_all():
                self.printer.own("all services healthy", style="bold green")
                watchers = [asyncio.create_task(self._watch(s)) for s in self.specs]
                await stop.wait()
                for watcher in watchers:
                    watcher.cancel()
            else:
                code = 1
        finally:
            gateway_stop.set()
            await self._stop_all()
            await asyncio.gather(gateway, return_exceptions=True)
            await self._http.aclose()
        return code

    async def _start_all(self) -> bool:
        for spec in self.specs:
            if not await self._launch(spec):
                self.printer.own(f"{spec.name} did not become healthy; stopping", "bold red")
                return False
        return True

    async def _launch(self, spec: ServiceSpec) -> bool:
        proc = self._procs[spec.name]
        entry = self.status.services[spec.name]
        entry.pid = await proc.start()
        entry.started_at, entry.state = now(), "starting"
        self._save()
        exited = asyncio.ensure_future(proc.wait())
        self._exits[spec.name] = exited
        healthy = await wait_healthy(
            self._http, spec.health_url, exited, self.settings.health_timeout_secs
        )
        entry.state = "healthy" if healthy else entry.state
        self._save()
        return healthy

    async def _watch(self, spec: ServiceSpec) -> None:
        crashes: deque[float] = deque()
        entry = self.status.services[spec.name]
        while not self._stop.is_set():
            code = await self._exits[spec.name]
            if self._stop.is_set():
                return
            entry.last_exit_code, entry.pid = code, None
            if code == FATAL_EXIT_CODE:
                self._give_up(spec, entry, f"exited with code {code} (configuration or port)")
                return
            crashes.append(time.monotonic())
            while crashes and crashes[0] < time.monotonic() - self.settings.restart_window_secs:
                crashes.popleft()
            if len(crashes) > self.settings.max_restarts:
                window = self.settings.restart_window_secs
                self._give_up(spec, entry, f"crashed {len(crashes)} times in {window:.0f}s")
                return
            await self._restart(spec, entry, code, len(crashes))

    def _give_up(self, spec: ServiceSpec, entry: ServiceStatus, why: str) -> None:
        entry.state = "failed"
        self._save()
        self.printer.own(f"{spec.name} {why}; not restarting it (see its log above)", "bold red")

    async def _restart(self, spec: ServiceSpec, entry: ServiceStatus, code: int, n: int) -> None:
        s = self.settings
        delay = min(s.restart_max_secs, s.restart_initial_secs * 2 ** (n - 1))
        entry.state = "restarting"
        self._save()
        self.printer.own(f"{spec.name} exited with code {code}; restart in {delay:.1f}s", "yellow")
        try:
            await asyncio.wait_for(self._stop.wait(), delay)
            return
        except TimeoutError:
            pass
        entry.restarts += 1
        if await self._launch(spec):
            self.printer.own(f"{spec.name} restarted (pid {entry.pid})", style="green")

    async def _stop_all(self) -> None:
        for spec in reversed(self.specs):
            entry = self.status.services[spec.name]
            code = await self._procs[spec.name].stop(self.settings.stop_timeout_secs)
            if code is not None:
                self.printer.own(f"{spec.name} stopped (exit code {code})")
            entry.state, entry.pid = "stopped", None
        self._save()

    def _save(self) -> None:
        write_status(self.settings.home, self.status)


def child_env(base: Mapping[str, str], bus_token: str) -> dict[str, str]:
    """Environment of every service child: the caller's plus the bus token, unbuffered."""
    env = dict(base)
    env[BUS_TOKEN_ENV] = bus_token
    env["PYTHONUNBUFFERED"] = "1"
    # Decide on market time (the newest bar close), not on this machine's clock: a venue's
    # clock may disagree with it, and a replay's runs fast.
    env.setdefault("EXEC_CORE__VALIDATION__CLOCK", "market")
    if env.get("NTX_DATA_DIR"):  # a fast replay: a signal may arrive after the next bar
        env.setdefault("EXEC_CORE__VALIDATION__MAX_SIGNAL_AGE_SECS", "3600")
    env.setdefault("NTX_HOME", str(os.path.expanduser("~/.neurotradex")))
    return env
