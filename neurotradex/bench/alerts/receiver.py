"""A local webhook receiver that verifies the HMAC and notes when it answered each alert."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator

from aiohttp import web

from alert_system.channels.webhook import verify


class BenchReceiver:
    """Answer 200 to every correctly signed alert; remember the first answer time per id."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.answered: dict[str, float] = {}
        self.bad_signatures = 0
        self.url = ""
        self.done = asyncio.Event()
        self.expected = 0

    async def handle(self, request: web.Request) -> web.Response:
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
        self.answered.setdefault(headers["X-NTX-Alert-Id"], time.perf_counter())
        if len(self.answered) >= self.expected:
            self.done.set()
        return web.Response(status=200)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[BenchReceiver]:
        """Serve on a free 127.0.0.1 port until the block ends."""
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
        try:
            yield self
        finally:
            await runner.cleanup()
