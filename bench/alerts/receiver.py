"""The bench's webhook receiver, run as its own process: verify the HMAC, note the receive time.

``python -m bench.alerts.receiver`` reads the HMAC key from ``NTX_BENCH_HMAC_KEY``,
serves ``POST /hook`` on a free 127.0.0.1 port and prints ``{"url": ...}`` as its first
stdout line. Each correctly signed alert is answered 200 and its first arrival is noted as
``time.monotonic_ns()`` (one clock for every process on Linux), just before the answer.
``GET /results?count=N&within=S`` waits (on an event, up to S seconds) until N distinct
alerts arrived, then returns ``{"received": {alert_id: ns}, "bad_signatures": n}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time

from aiohttp import web

from alert_system.channels.webhook import verify
from bench.alerts.procs import KEY_ENV


class BenchReceiver:
    """Answer 200 to every correctly signed alert; remember the first receive time per id."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.received: dict[str, int] = {}
        self.bad_signatures = 0
        self._arrived = asyncio.Condition()

    async def hook(self, request: web.Request) -> web.Response:
        """Verify, record, answer."""
        body = await request.read()
        headers = request.headers
        ok = verify(
            self.key,
            headers.get("X-NTX-Timestamp", ""),
            body,
            headers.get("X-NTX-Signature", ""),
            now=time.time(),
        )
        if not ok:
            self.bad_signatures += 1
            return web.Response(status=401)
        self.received.setdefault(headers["X-NTX-Alert-Id"], time.monotonic_ns())
        async with self._arrived:
            self._arrived.notify_all()
        return web.Response(status=200)

    async def results(self, request: web.Request) -> web.Response:
        """Wait for ``count`` alerts (at most ``within`` seconds); return what arrived."""
        count = int(request.query.get("count", "0"))
        within = float(request.query.get("within", "0"))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within), self._arrived:
                await self._arrived.wait_for(lambda: len(self.received) >= count)
        return web.json_response({"received": self.received, "bad_signatures": self.bad_signatures})


async def serve(key: bytes) -> None:
    """Serve until SIGTERM or SIGINT; print the hook URL first."""
    receiver = BenchReceiver(key)
    app = web.Application()
    app.router.add_post("/hook", receiver.hook)
    app.router.add_get("/results", receiver.results)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    sys.stdout.write(json.dumps({"url": url}) + "\n")
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> int:
    """Run the receiver; return the exit status."""
    asyncio.run(serve(os.environ[KEY_ENV].encode()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
