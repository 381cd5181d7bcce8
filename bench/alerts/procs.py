"""Child processes of the alerts benchmark: the receiver and ``python -m alert_system``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from pathlib import Path

KEY_ENV = "NTX_BENCH_HMAC_KEY"
CHECKOUT = Path(__file__).resolve().parents[2]
"""The repository root: `python -m bench.alerts.receiver` runs there."""
OURS = ("DATA_CORE__", "MODEL_ENGINE__", "EXEC_CORE__", "ALERT_SYSTEM__", "GATEWAY__", "NTX_")


class Child:
    """One child process whose stdout is read line by line (JSON logs or the receiver's URL)."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self.process = process
        self.subscribed: set[str] = set()
        self._all_subscribed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def first_line(self, within_secs: float) -> str:
        """Return the first stdout line (the receiver prints its URL there)."""
        assert self.process.stdout is not None  # noqa: S101 - PIPE
        raw = await asyncio.wait_for(self.process.stdout.readline(), within_secs)
        if not raw:
            raise RuntimeError(f"{self.name} exited before printing its address")
        return raw.decode()

    def follow_logs(self) -> None:
        """Keep reading stdout (so the pipe never fills); note ``upstream_subscribed`` events."""
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None  # noqa: S101 - PIPE
        async for raw in self.process.stdout:
            with contextlib.suppress(ValueError):
                line = json.loads(raw)
                if line.get("event") == "upstream_subscribed":
                    self.subscribed.add(str(line.get("upstream")))
                    if len(self.subscribed) >= 2:
                        self._all_subscribed.set()
        self._all_subscribed.set()  # exited: wait_subscribed reports it

    async def wait_subscribed(self, within_secs: float) -> None:
        """Wait until alert_system subscribed to both upstreams."""
        await asyncio.wait_for(self._all_subscribed.wait(), within_secs)
        if len(self.subscribed) < 2:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}")

    def cpu_secs(self) -> float | None:
        """Return the CPU seconds (user + system) the process used so far (Linux only)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self, within_secs: float = 15) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), within_secs)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader is not None:
            await self._reader


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.upper().startswith(OURS)}


async def start_receiver(key: str) -> tuple[Child, str]:
    """Start the receiver process; return it and its hook URL."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.alerts.receiver",
        env=_clean_env() | {KEY_ENV: key},
        cwd=CHECKOUT,  # where `bench` is importable from, whatever the caller's directory
        stdout=asyncio.subprocess.PIPE,
    )
    child = Child("receiver", process)
    url: str = json.loads(await child.first_line(30))["url"]
    return child, url


def alert_system_env(home: Path, token: str, upstream: str, hook: str, key: str) -> dict[str, str]:
    """Return alert_system's environment: both upstreams on the bench bus, webhook on."""
    prefix = "ALERT_SYSTEM__"
    return _clean_env() | {
        "NTX_HOME": str(home),
        "NTX_BUS_TOKEN": token,
        f"{prefix}BUS__PORT": "0",
        f"{prefix}HTTP__PORT": "0",
        f"{prefix}UPSTREAM__MODEL_ENGINE_URL": upstream,
        f"{prefix}UPSTREAM__EXEC_CORE_URL": upstream,
        f"{prefix}WEBHOOK__URL": hook,
        f"{prefix}WEBHOOK__HMAC_KEY": key,
        f"{prefix}WEBHOOK__RATE_PER_S": "1000",
        f"{prefix}LOG__LEVEL": "INFO",
        f"{prefix}LOG__FORMAT": "json",
    }


async def start_alert_system(env: dict[str, str], profile: Path | None) -> Child:
    """Start ``python -m alert_system`` (under cProfile when `profile` is set)."""
    prof = ["-m", "cProfile", "-o", str(profile)] if profile is not None else []
    process = await asyncio.create_subprocess_exec(
        sys.executable, *prof, "-m", "alert_system", env=env, stdout=asyncio.subprocess.PIPE
    )
    child = Child("alert_system", process)
    child.follow_logs()
    return child
