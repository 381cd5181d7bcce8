"""Browser tests of the dashboard: `ntx up` on replayed real data, driven through Debian's Chromium.

Collected only when `NTX_E2E=1` (`make e2e` sets it), so that `make unit` starts no browser.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.e2e.harness import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    DASHBOARD_DIR,
    Platform,
    chromium_path,
    platform_env,
    train_model,
    wait_for_bars,
    watch_console,
)

if os.environ.get("NTX_E2E") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """`ntx up` in a temp NTX_HOME on free ports, replaying real candles fast, with the export.

    A small model is trained into that home first, so model_engine publishes explained signals
    and exec_core, in manual approval mode, asks the page to approve the trades.
    """
    if not (DASHBOARD_DIR / "index.html").is_file():
        pytest.fail(f"no dashboard export at {DASHBOARD_DIR}: run `make dashboard`")
    root = tmp_path_factory.mktemp("ntx")
    env = platform_env(root / "home")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    train_secs = train_model(env, root / "ntx-train.log")
    shutil.copyfile(root / "ntx-train.log", ARTIFACTS / "ntx-train.log")
    log = root / "ntx-up.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "neurotradex", "up"]
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    running = Platform(f"http://127.0.0.1:{env['GATEWAY__HTTP__PORT']}", root / "home", log, proc)
    try:
        started = time.monotonic()
        wait_for_bars(running)
        up_secs = time.monotonic() - started
        (ARTIFACTS / "e2e-timings.txt").write_text(
            f"ntx train: {train_secs:.1f}s\nntx up to first bars: {up_secs:.1f}s\n"
        )
        yield running
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.copyfile(log, ARTIFACTS / "ntx-up.log")


@pytest.fixture(scope="session")
def playwright_() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_: Playwright) -> Iterator[Browser]:
    launched = playwright_.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser, platform: Platform) -> Iterator[Page]:
    if platform.proc.poll() is not None:
        pytest.fail(f"ntx up exited with {platform.proc.returncode}:\n{platform.tail()}")
    context = browser.new_context(base_url=platform.url, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    watch_console(opened)
    yield opened
    context.close()
