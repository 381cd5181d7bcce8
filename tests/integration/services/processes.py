"""Start a service as a real `python -m <service>` process and follow its JSON log lines."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncGenerator, Callable, Mapping
from pathlib import Path
from typing import Any, Self

from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from signal_bus import BusClient, BusClientSettings
from signal_schema import Heartbeat, topics

REPO = Path(__file__).resolve().parents[3]
TOKEN = "services-integration-token"
READ_TOKEN = "services-read-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
"""What a caller of a service's HTTP API presents (every route but /healthz and /metrics)."""
SERVICES = ("data_core", "model_engine", "exec_core", "alert_system")
UPSTREAMS = {
    "data_core": (),
    "model_engine": ("data_core",),
    "exec_core": ("data_core", "model_engine"),
    "alert_system": ("model_engine", "exec_core"),
}
LogLine = dict[str, Any]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """Whether a server could listen on `port` again (as the services do, SO_REUSEADDR)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


def service_env(
    service: str, home: Path, *, bus_port: int, http_port: int, upstream_urls: Mapping[str, str]
) -> dict[str, str]:
    """Return the environment for `service`: this process's, minus NeuroTradeX variables."""
    ours = (*(f"{s.upper()}__" for s in SERVICES), "NTX_")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(ours)}
    prefix = f"{service.upper()}__"
    env |= {
        "NTX_HOME": str(home),
        "NTX_BUS_TOKEN": TOKEN,
        "NTX_READ_TOKEN": READ_TOKEN,
        f"{prefix}BUS__PORT": str(bus_port),
        f"{prefix}HTTP__PORT": str(http_port),
        f"{prefix}HEARTBEAT__INTERVAL_SECS": "0.2",
    }
    for upstream in UPSTREAMS[service]:
        default = f"ws://127.0.0.1:{free_port()}/ws"  # nobody there: reconnects quietly
        env[f"{prefix}UPSTREAM__{upstream.upper()}_URL"] = upstream_urls.get(upstream, default)
    return env


class ServiceProcess:
    """A running service; every stdout line must be one JSON log record."""

    def __init__(self, service: str, process: asyncio.subprocess.Process) -> None:
        self.service = service
        self.process = process
        self.lines: list[LogLine] = []
        self.stderr = b""

    @classmethod
    async def start(cls, service: str, env: Mapping[str, str]) -> Self:
        """Start ``python -m <service>`` with exactly `env`."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            service,
            cwd=REPO,
            env=dict(env),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(service, process)

    async def wait_for(
        self, predicate: Callable[[LogLine], bool], within_secs: float = 15
    ) -> LogLine:
        """Read log lines until one satisfies `predicate`; fail if the process ends first."""
        for line in self.lines:
            if predicate(line):
                return line
        assert self.process.stdout is not None
        async with asyncio.timeout(within_secs):
            while raw := await self.process.stdout.readline():
                line = self._parse(raw)
                if predicate(line):
                    return line
        raise AssertionError(f"{self.service} exited before the line awaited:\n{self.output()}")

    async def event(self, name: str, **fields: object) -> LogLine:
        """Wait for the log line with ``event == name`` (and the given fields)."""
        expected = {"event": name, **fields}
        return await self.wait_for(lambda line: expected.items() <= line.items())

    async def stop(self, within_secs: float = 10) -> int:
        """Send SIGTERM, collect the remaining output, and return the exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.wait(within_secs)

    async def wait(self, within_secs: float = 10) -> int:
        """Wait for the process to exit by itself; return its exit status."""
        try:
            out, self.stderr = await asyncio.wait_for(self.process.communicate(), within_secs)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise
        for raw in out.splitlines():
            self._parse(raw)
        assert self.process.returncode is not None
        return self.process.returncode

    def output(self) -> str:
        """Everything read so far, for failure messages."""
        return "\n".join(map(json.dumps, self.lines)) + "\n" + self.stderr.decode(errors="replace")

    def _parse(self, raw: bytes) -> LogLine:
        try:
            line: LogLine = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"{self.service} wrote a non-JSON line: {raw!r}") from exc
        self.lines.append(line)
        return line

    async def kill(self) -> None:
        """Make sure the process is gone (test cleanup)."""
        if self.process.returncode is None:
            self.process.kill()
            with contextlib.suppress(Exception):
                await self.process.communicate()


async def first_heartbeat(bus_port: int, within_secs: float = 10) -> Heartbeat:
    """Subscribe to ``system.heartbeat`` on `bus_port` and return the first heartbeat."""
    settings = BusClientSettings(url=f"ws://127.0.0.1:{bus_port}/ws", token=SecretStr(TOKEN))
    client = BusClient(settings, [topics.SYSTEM_HEARTBEAT])
    messages = client.messages()
    try:
        async with asyncio.timeout(within_secs):
            async for envelope in messages:
                if isinstance(envelope.message, Heartbeat):
                    return envelope.message
    finally:
        if isinstance(messages, AsyncGenerator):
            await messages.aclose()
    raise AssertionError("the bus closed without a heartbeat")


def metric_value(exposition: str, name: str, **labels: str) -> float | None:
    """Return the sample `name` with `labels` in a Prometheus text `exposition`, if there."""
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None
