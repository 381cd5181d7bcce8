"""Time `make demo` in a fresh clone, fed by a local Binance whose clock runs 600x real time.

What it measures: the seconds from ``make demo`` in a new clone of HEAD (nothing beside it, no
``NTX_DATA_DIR``, an empty ``NTX_HOME``) until ``/api/signals`` serves a signal with its SHAP
explanation. The venue is `tests.fixtures.exchanges.serve`, speaking Binance's public spot REST
protocol from the candle files of ``DATA`` on a clock that runs ``--speed`` times real time, so
the demo downloads its history, trains and then follows that venue's clock, not this machine's.

Run from the repository root with the project's virtualenv::

    .venv/bin/python bench/fresh_clone_demo.py --data /path/to/data [--speed 600] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOKEN = "fresh-clone-read-token"  # noqa: S105 (the demo's read token, set by this script)
SERVICES = ("DATA_CORE", "MODEL_ENGINE", "EXEC_CORE", "ALERT_SYSTEM")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _signals(gateway: int) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{gateway}/api/signals?limit=5",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 (loopback)
            body = json.loads(answer.read())
    except (OSError, ValueError):
        return []
    return body if isinstance(body, list) else []


def _explained(signal_row: dict[str, Any]) -> bool:
    explanation = signal_row.get("explanation") or {}
    return bool(explanation.get("attributions"))


def _environment(home: Path, venue_url: str) -> dict[str, str]:
    """The user's environment without NeuroTradeX's variables, plus the venue and a home."""
    own = ("NTX_", "GATEWAY__", *SERVICES)
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    return env | {
        "NTX_HOME": str(home),
        "NTX_READ_TOKEN": TOKEN,
        "DATA_CORE__STREAMS__REST_URL": venue_url,
    }


def run(data: Path, speed: float, limit_secs: float) -> dict[str, Any]:
    """Clone, serve the venue, run `make demo` until an explained signal is served."""
    scratch = Path(tempfile.mkdtemp(prefix="ntx-fresh-"))
    clone = scratch / "main"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)  # noqa: S603,S607
    port, gateway = _free_port(), 8700  # the demo's own ports, as a user gets them
    venue = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.fixtures.exchanges.serve", "--data", str(data),
         "--speed", str(speed), "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    sys.stderr.write(venue.stdout.readline() if venue.stdout else "")
    log = (scratch / "demo.log").open("w")
    started = time.monotonic()
    demo = subprocess.Popen(
        ["make", "demo"], cwd=clone, stdout=log, stderr=subprocess.STDOUT,  # noqa: S607
        env=_environment(scratch / "home", f"http://127.0.0.1:{port}"),
        start_new_session=True,
    )  # fmt: skip
    found: list[dict[str, Any]] = []
    try:
        while time.monotonic() - started < limit_secs and demo.poll() is None:
            found = [row for row in _signals(gateway) if _explained(row)]
            if found:
                break
            time.sleep(5)
    finally:
        seconds = time.monotonic() - started
        os.killpg(demo.pid, signal.SIGINT)
        demo.wait(timeout=60)
        venue.terminate()
        venue.wait(timeout=10)
        log.close()
    tail = (scratch / "demo.log").read_text().splitlines()[-15:]
    return {
        "measured": "seconds from `make demo` in a fresh clone to an explained signal",
        "seconds_to_explained_signal": round(seconds, 1) if found else None,
        "ok": bool(found),
        "venue_speed": speed,
        "first_signal": found[0] if found else None,
        "clone": str(clone),
        "log_tail": tail,
    }


def main() -> None:
    """Parse the arguments, run the check, print the result (JSON on the last line)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding ohlcv/binance/")
    parser.add_argument("--speed", type=float, default=600.0)
    parser.add_argument("--limit-secs", type=float, default=1200.0)
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    args = parser.parse_args()
    result = run(args.data.resolve(), args.speed, args.limit_secs)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
