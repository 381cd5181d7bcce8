"""The e2e harness: `ntx up` in a temp home on free ports, tokens, Chromium and artifact paths."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

REPO = Path(__file__).resolve().parents[2]
DASHBOARD_DIR = Path(os.environ.get("NTX_E2E_DASHBOARD_DIR", REPO / "dashboard_ui" / "out"))
ARTIFACTS = Path(os.environ.get("NTX_E2E_ARTIFACTS", REPO / "dashboard_ui" / "e2e-artifacts"))
AXE_JS = REPO / "dashboard_ui" / "node_modules" / "axe-core" / "axe.min.js"
READ_TOKEN = "e2e-read-token-0123456789"
OPERATOR_TOKEN = "e2e-operator-token-0123456789"
REPLAY_SPEED = os.environ.get("NTX_E2E_REPLAY_SPEED", "x7200")
SERVICES = ("DATA_CORE", "MODEL_ENGINE", "EXEC_CORE", "ALERT_SYSTEM")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _data_dir() -> Path:
    raw = os.environ.get("NTX_DATA_DIR")
    folder = REPO / Path(raw).expanduser() if raw else REPO.parent / "shared" / "data"
    if not (folder / "ohlcv").is_dir():
        pytest.fail(f"no real market data at {folder}: set NTX_DATA_DIR (see `make testdata`)")
    return folder


def platform_env(home: Path) -> dict[str, str]:
    own = ("NTX_", "GATEWAY__", *SERVICES)
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env |= {
        "NTX_HOME": str(home),
        "NTX_DATA_DIR": str(_data_dir()),
        "NTX_READ_TOKEN": READ_TOKEN,
        "NTX_OPERATOR_TOKEN": OPERATOR_TOKEN,
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
        "DATA_CORE__STREAMS__REPLAY_SPEED": REPLAY_SPEED,
        "GATEWAY__DASHBOARD_DIR": str(DASHBOARD_DIR),
        "GATEWAY__HTTP__PORT": str(_free_port()),
    }
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
        env[f"{name}__UPSTREAM__{upstream}_URL"] = (
            f"ws://127.0.0.1:{env[f'{upstream}__BUS__PORT']}/ws"
        )
    for upstream in SERVICES:
        env[f"GATEWAY__UPSTREAM__{upstream}_URL"] = (
            f"ws://127.0.0.1:{env[f'{upstream}__BUS__PORT']}/ws"
        )
        env[f"GATEWAY__UPSTREAM__{upstream}_HTTP_URL"] = (
            f"http://127.0.0.1:{env[f'{upstream}__HTTP__PORT']}"
        )
    return env


def _get_json(url: str, token: str | None = None) -> Any:
    request = urllib.request.Request(url)  # noqa: S310 - a local http URL
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return json.loads(response.read())


@dataclass
class Platform:
    """A running `ntx up` and where its gateway answers."""

    url: str
    home: Path
    log: Path
    proc: subprocess.Popen[bytes]
    console_errors: list[str] = field(default_factory=list)

    def tail(self, lines: int = 40) -> str:
        """The last lines of the platform's output, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def wait_for_bars(platform: Platform, within_secs: float = 120.0) -> None:
    deadline = time.monotonic() + within_secs
    last = "no answer"
    while time.monotonic() < deadline:
        if platform.proc.poll() is not None:
            pytest.fail(f"ntx up exited with {platform.proc.returncode}:\n{platform.tail()}")
        try:
            bars = _get_json(f"{platform.url}/api/bars?symbol=BTC/USDT&limit=5", READ_TOKEN)
            if isinstance(bars, list) and bars:
                return
            last = f"{len(bars)} bars"
        except (OSError, urllib.error.URLError, ValueError) as exc:
            last = repr(exc)
        time.sleep(0.5)
    pytest.fail(f"no BTC/USDT bars within {within_secs}s ({last}):\n{platform.tail()}")


def chromium_path() -> str:
    """Debian's Chromium (`make e2e` installs it when missing)."""
    debian = Path("/usr/bin/chromium")
    found = shutil.which("chromium") or (str(debian) if debian.exists() else None)
    if found is None:
        pytest.fail("no chromium on PATH: `apt-get install -y chromium` (make e2e does it)")
    return found


class Console:
    """Console errors and uncaught page errors seen by one page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} @ {message.location.get('url', '')}")


_CONSOLES: dict[int, Console] = {}


def watch_console(page: Page) -> Console:
    """Start recording `page`'s console errors (see `console_errors`)."""
    console = _CONSOLES[id(page)] = Console(page)
    return console


def console_errors(page: Page) -> list[str]:
    """The console errors and uncaught exceptions `page` has shown so far."""
    return list(_CONSOLES[id(page)].errors)
