"""Real uvicorn servers on 127.0.0.1: echo services playing the upstreams, and the gateway."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from neurotradex.gateway import ApiTokens, GatewaySettings, Relay, create_app, serve_gateway


def listening_socket() -> socket.socket:
    """A socket bound to a free port and listening: clients queue until a server serves it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A port that is bound but not listening, so every connection to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def port_of(sock: socket.socket) -> int:
    """The port `sock` is bound to."""
    port: int = sock.getsockname()[1]
    return port


class _Embedded(uvicorn.Server):
    """uvicorn without its signal handlers (several servers share the test's process)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on a free port; yield its base URL."""
    sock = listening_socket()
    server = _Embedded(uvicorn.Config(app, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port_of(sock)}"
    finally:
        server.should_exit = True
        await task


def echo_service(name: str) -> FastAPI:
    """A service HTTP API that answers every call with what it received."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": name}

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def echo(request: Request, path: str) -> JSONResponse:
        body = {
            "service": name,
            "method": request.method,
            "path": request.scope["path"],
            "query": request.scope["query_string"].decode(),
            "body": (await request.body()).decode(),
            "content_type": request.headers.get("content-type"),
            "authorization": request.headers.get("authorization"),
        }
        return JSONResponse(body, status_code=404 if path.endswith("missing") else 200)

    return app


@dataclass(frozen=True)
class RunningGateway:
    """A gateway served by `serve_gateway` on a free port."""

    url: str
    relay: Relay

    @property
    def ws_url(self) -> str:
        """The browser relay's URL."""
        return self.url.replace("http://", "ws://") + "/ws"


@contextlib.asynccontextmanager
async def running_gateway(
    settings: GatewaySettings, tokens: ApiTokens
) -> AsyncIterator[RunningGateway]:
    """Build the gateway from its parts and serve it until the block ends."""
    relay = Relay.from_settings(settings, tokens)
    app = create_app(settings, tokens, relay=relay)
    sock = listening_socket()
    stop = asyncio.Event()
    task = asyncio.create_task(serve_gateway(settings, stop=stop, app=app, sock=sock))
    try:
        yield RunningGateway(f"http://127.0.0.1:{port_of(sock)}", relay)
    finally:
        stop.set()
        await task
