"""The e2e harness: `ntx up` in a temp home on free ports, tokens, Chromium and artifact paths."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

from tests.data_paths import data_dir

REPO = Path(__file__).resolve().parents[2]
DASHBOARD_DIR = Path(os.environ.get("NTX_E2E_DASHBOARD_DIR", REPO / "dashboard_ui" / "out"))
ARTIFACTS = Path(os.environ.get("NTX_E2E_ARTIFACTS", REPO / "dashboard_ui" / "e2e-artifacts"))
AXE_JS = REPO / "dashboard_ui" / "node_modules" / "axe-core" / "axe.min.js"
READ_TOKEN = "e2e-read-token-0123456789"
OPERATOR_TOKEN = "e2e-operator-token-0123456789"
REPLAY_SPEED = os.environ.get("NTX_E2E_REPLAY_SPEED", "x7200")
# Two replayed pairs (ETH/USDT for the symbol switch) keep 2 shared cores free for the browser;
# 2000 bars at x7200 replay for ~17 minutes, past the end of the suite.
REPLAY_SYMBOLS = ("BTC/USDT", "ETH/USDT")
REPLAY_RECENT_BARS = "2000"
# A one-epoch model is rarely 55 % sure of a class (exec_core's default); the demo trades from 45 %.
MIN_CONFIDENCE = os.environ.get("NTX_E2E_MIN_CONFIDENCE", "0.45")
# exec_core decides on market time in a replay, approval deadlines included: one day of replay
# is ~12 s of wall time at x7200, long enough for the page to answer, short enough that the
# queue stays a few dozen items long.
APPROVAL_TIMEOUT_SECS = "86400"
# Signal age is market time too: model_engine's 50 ms batch linger alone is 6 minutes of replay
# at x7200, past the default 300 s. One bar of slack keeps the signals that are current.
MAX_SIGNAL_AGE_SECS = "3600"
# `make demo`'s first model, smaller: one epoch on 5000 windows of 16 bars trains in ~20 s on two
# shared cores, and model_engine signals after 16 replayed bars (~8 s at x7200) instead of 64.
# Its explainer is the real amortised one on a small budget (the browser checks the bars, not
# the fidelity, which `ntx bench explain` and `ntx explain audit` measure).
TRAIN_COMMAND = (
    "train", "--model", "lstm", "--symbols", "BTC/USDT", "--since", "2021-01-01",
    "--until", "2024-01-01", "--epochs", "1", "--max-windows", "5000", "--window", "16",
    "--explainer-windows", "512", "--explainer-epochs", "100",
)  # fmt: skip
TRAIN_TIMEOUT_SECS = 240.0
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


def platform_env(home: Path) -> dict[str, str]:
    own = ("NTX_", "GATEWAY__", *SERVICES)
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env |= {
        "NTX_HOME": str(home),
        "NTX_DATA_DIR": str(data_dir()),  # the committed slices (tests/fixtures/data)
        "NTX_READ_TOKEN": READ_TOKEN,
        "NTX_OPERATOR_TOKEN": OPERATOR_TOKEN,
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
        "DATA_CORE__STREAMS__REPLAY_SPEED": REPLAY_SPEED,
        "DATA_CORE__STREAMS__SYMBOLS": json.dumps(REPLAY_SYMBOLS),
        "DATA_CORE__STREAMS__REPLAY_RECENT_BARS": REPLAY_RECENT_BARS,
        "EXEC_CORE__VALIDATION__SYMBOLS": json.dumps(REPLAY_SYMBOLS),
        "EXEC_CORE__VALIDATION__MIN_CONFIDENCE": MIN_CONFIDENCE,
        "EXEC_CORE__VALIDATION__MAX_SIGNAL_AGE_SECS": MAX_SIGNAL_AGE_SECS,
        "EXEC_CORE__APPROVAL__MODE": "manual",
        "EXEC_CORE__APPROVAL__TIMEOUT_SECS": APPROVAL_TIMEOUT_SECS,
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
        ("EXEC_CORE", "ALERT_SYSTEM"),
        ("ALERT_SYSTEM", "MODEL_ENGINE"),
        ("ALERT_SYSTEM", "EXEC_CORE"),
    ):
        env[f"{name}__UPSTREAM__{upstream}_URL"] = (
            f"ws://127.0.0.1:{env[f'{upstream}__BUS__PORT']}/ws"
        )
    for upstream in ("EXEC_CORE", "MODEL_ENGINE"):
        env[f"ALERT_SYSTEM__DELIVERY__{upstream}_HTTP_URL"] = (
            f"http://127.0.0.1:{env[f'{upstream}__HTTP__PORT']}"
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
        return _tail(self.log, lines)


def train_model(env: dict[str, str], log: Path) -> float:
    """Train the small first model into `env`'s NTX_HOME, as `make demo` does; return seconds."""
    started = time.monotonic()
    command = [sys.executable, "-m", "neurotradex", *TRAIN_COMMAND]
    with log.open("wb") as out:
        try:
            done = subprocess.run(  # noqa: S603 - our own CLI
                command, env=env, stdout=out, stderr=subprocess.STDOUT,
                timeout=TRAIN_TIMEOUT_SECS, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail(f"ntx train ran past {TRAIN_TIMEOUT_SECS:.0f}s:\n{_tail(log)}")
    if done.returncode != 0:
        pytest.fail(f"ntx train exited with {done.returncode}:\n{_tail(log)}")
    if not any((Path(env["NTX_HOME"]) / "models").glob("*/v*/model.onnx")):
        pytest.fail(f"ntx train wrote no artifact:\n{_tail(log)}")
    return time.monotonic() - started


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_for_bars(platform: Platform, within_secs: float = 120.0) -> None:
    """Wait until `/api/health` says every service is ok and BTC/USDT bars are served."""
    deadline = time.monotonic() + within_secs
    last = "no answer"
    while time.monotonic() < deadline:
        if platform.proc.poll() is not None:
            pytest.fail(f"ntx up exited with {platform.proc.returncode}:\n{platform.tail()}")
        try:
            # Every service up (the page's first GETs reach them), then the replay running.
            health = _get_json(f"{platform.url}/api/health")
            if health.get("status") != "ok":
                last = f"health {health.get('status')}: {health.get('services')}"
                time.sleep(0.5)
                continue
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
