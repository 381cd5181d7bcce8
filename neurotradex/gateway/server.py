"""Build the gateway and serve it with uvicorn inside the caller's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from neurotradex.gateway.app import create_app
from neurotradex.gateway.errors import OperationalError
from neurotradex.gateway.relay import Relay
from neurotradex.gateway.settings import GatewaySettings
from neurotradex.gateway.tokens import resolve_tokens
from service_runtime.http_api import SignalFreeServer

GRACEFUL_SHUTDOWN_SECS = 5


def build_gateway(settings: GatewaySettings) -> tuple[FastAPI, Path | None]:
    """Resolve the tokens (generating them if needed) and build the app.

    Parameters
    ----------
    settings
        Gateway settings, built once by the caller.

    Returns
    -------
    tuple[FastAPI, Path | None]
        The app, and the token file when any token came from it (print this path, never
        the tokens); None when both tokens are set in the environment.
    """
    resolved = resolve_tokens(settings)
    relay = Relay.from_settings(settings, resolved.tokens)
    return create_app(settings, resolved.tokens, relay=relay), resolved.file


async def serve_gateway(
    settings: GatewaySettings,
    *,
    stop: asyncio.Event | None = None,
    app: FastAPI | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve the gateway until `stop` is set (or, without `stop`, until SIGINT/SIGTERM).

    Parameters
    ----------
    settings
        Gateway settings; `http.host`/`http.port` say where to listen.
    stop
        Set it to shut down. When given, the caller owns signal handling and uvicorn
        installs no signal handlers; when None, uvicorn stops on SIGINT/SIGTERM.
    app
        An app from `build_gateway` (so the caller can report the token file first);
        built here when None.
    sock
        An already bound socket to serve on instead of `http.host`/`http.port`.

    Raises
    ------
    OperationalError
        If uvicorn could not start (e.g. the port is taken).
    """
    if app is None:
        app, _ = build_gateway(settings)
    config = uvicorn.Config(
        app,
        host=settings.http.host,
        port=settings.http.port,
        log_config=None,
        lifespan="on",
        http="h11",
        h11_max_incomplete_event_size=settings.limits.max_head_bytes,
        ws="websockets-sansio",
        ws_max_size=settings.relay.max_frame_bytes,
        ws_per_message_deflate=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECS,
    )
    server = uvicorn.Server(config) if stop is None else SignalFreeServer(config)
    async with _stopping(server, stop):
        try:
            await server.serve(sockets=[sock] if sock is not None else None)
        except SystemExit as exc:
            where = f"{settings.http.host}:{settings.http.port}"
            raise OperationalError(f"the gateway could not start on {where}") from exc


@contextlib.asynccontextmanager
async def _stopping(server: uvicorn.Server, stop: asyncio.Event | None) -> AsyncIterator[None]:
    if stop is None:
        yield
        return

    async def watch() -> None:
        await stop.wait()
        server.should_exit = True

    watcher = asyncio.create_task(watch(), name="gateway-stop")
    try:
        yield
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
