"""`ntx up` supervises the real services: health, restart after SIGKILL, clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from neurotradex.supervisor.state import read_status

SERVICES = ("DATA_CORE", "MODEL_ENGINE", "EXEC_CORE", "ALERT_SYSTEM")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _platform_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NTX_", *SERVICES))}
    env |= {"NTX_HOME": str(home), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    env |= {"SUPERVISOR__RESTART_INITIAL_SECS": "0.1", "SUPERVISOR__STOP_TIMEOUT_SECS": "10"}
    env["GATEWAY__HTTP__PORT"] = str(_free_port())
    for name in SERVICES:
        env[f"{name}__BUS__PORT"] = str(_free_port())
        env[f"{name}__HTTP__PORT"] = str(_free_port())
    for name, upstream in (
        ("MODEL_ENGINE", "DATA_CORE"),
        ("EXEC_CORE", "DATA_CORE"),
        ("EXEC_CORE", "MODEL_ENGINE"),
        ("ALERT_SYSTEM", "MODEL_ENGINE"),
        ("ALERT_SYSTEM", "EXEC_CORE"),
    ):
        url = f"ws://127.0.0.1:{env[f'{upstream}__BUS__PORT']}/ws"
        env[f"{name}__UPSTREAM__{upstream}_URL"] = url
    for upstream in SERVICES:
        port = env[f"{upstream}__BUS__PORT"]
        env[f"GATEWAY__UPSTREAM__{upstream}_URL"] = f"ws://127.0.0.1:{port}/ws"
        http = env[f"{upstream}__HTTP__PORT"]
        env[f"GATEWAY__UPSTREAM__{upstream}_HTTP_URL"] = f"http://127.0.0.1:{http}"
    return env


class Platform:
    """`ntx up` as a child process whose output the test reads line by line."""

    def __init__(self, proc: asyncio.subprocess.Process, env: dict[str, str]) -> None:
        self.proc = proc
        self.env = env
        self.lines: list[str] = []

    async def expect(self, text: str, within_secs: float = 90.0) -> str:
        """Read output until a line contains `text`; fail with the output so far."""
        assert self.proc.stdout is not None
        try:
            async with asyncio.timeout(within_secs):
                while True:
                    raw = await self.proc.stdout.readline()
                    if not raw:
                        break
                    line = raw.decode(errors="replace").rstrip()
                    self.lines.append(line)
                    if text in line:
                        return line
        except TimeoutError:
            pass
        tail = "\n".join(self.lines[-40:])
        pytest.fail(f"no line containing {text!r}; last output:\n{tail}")

    async def ntx(self, *args: str) -> tuple[int, str]:
        """Run another `ntx` command against the same NTX_HOME."""
        cmd = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "neurotradex", *args,
            env=self.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await asyncio.wait_for(cmd.communicate(), 60)
        assert cmd.returncode is not None
        return cmd.returncode, out.decode()


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    env = _platform_env(tmp_path / "home")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "neurotradex", "up",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    running = Platform(proc, env)
    yield running
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 60)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.timeout(240)
async def test_up_restarts_a_killed_service_and_down_leaves_no_process(
    platform: Platform, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await platform.expect("all services healthy")
    before = read_status(home)
    assert before is not None
    assert {n: s.state for n, s in before.services.items()} == dict.fromkeys(
        ("data_core", "model_engine", "exec_core", "alert_system"), "healthy"
    )
    pids = {name: entry.pid for name, entry in before.services.items()}
    assert all(pid is not None and _alive(pid) for pid in pids.values())

    code, out = await platform.ntx("status", "--json")
    report = orjson.loads(out.strip().splitlines()[-1])
    assert code == 0
    assert report["running"] is True
    assert all(row["healthy"] for row in report["services"].values())

    killed = pids["data_core"]
    assert killed is not None
    os.kill(killed, signal.SIGKILL)
    await platform.expect("data_core exited with code -9")
    await platform.expect("data_core restarted")
    after = read_status(home)
    assert after is not None
    restarted = after.services["data_core"]
    assert restarted.restarts == 1
    assert restarted.state == "healthy"
    assert restarted.pid is not None
    assert restarted.pid != killed
    assert _alive(restarted.pid)

    code, out = await platform.ntx("down")
    assert code == 0, out
    assert await asyncio.wait_for(platform.proc.wait(), 60) == 0
    every_pid = {p for p in pids.values() if p is not None} | {restarted.pid}
    assert not [pid for pid in every_pid if _alive(pid)]
    final = read_status(home)
    assert final is not None
    assert {s.state for s in final.services.values()} == {"stopped"}
