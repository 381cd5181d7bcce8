"""The baseline: a FastAPI websocket endpoint on uvicorn with default settings.

Its publisher is the naive broadcast loop: `await websocket.send_json(message)` for each
client in turn, so `send_json` serialises once per client and a slow client stalls the loop.
"""

from __future__ import annotations

import asyncio
import socket
from multiprocessing.connection import Connection
from typing import Any

import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect, status

from bench.bus.messages import make_envelopes
from bench.bus.servers import cpu_seconds, no_backlog, paced_publish
from bench.bus.specs import BaselineOptions, PublishSpec
from bench.bus.workers import serve_commands


def build_app(token: str, clients: set[WebSocket]) -> FastAPI:
    """Accept, read the subscribe frame, acknowledge it, and register the socket."""
    app = FastAPI()

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        if websocket.headers.get("authorization") != f"Bearer {token}":
            await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
            return
        await websocket.accept()
        request = await websocket.receive_json()
        await websocket.send_json({"op": "subscribed", "topics": request["topics"]})
        clients.add(websocket)
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            clients.discard(websocket)

    return app


async def _broadcast(clients: set[WebSocket], message: dict[str, Any]) -> None:
    for websocket in list(clients):
        try:
            await websocket.send_json(message)
        except (WebSocketDisconnect, RuntimeError, OSError):
            clients.discard(websocket)


async def baseline_main(conn: Connection, options: BaselineOptions) -> None:
    """Serve the baseline endpoint on a free port and publish on command."""
    clients: set[WebSocket] = set()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    app = build_app(options.token, clients)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)

    messages: list[dict[str, Any]] = []

    async def prepare(spec: PublishSpec) -> None:
        envelopes = make_envelopes(spec.messages, spec.attributions)
        messages[:] = [envelope.model_dump(mode="json") for envelope in envelopes]

    async def publish(spec: PublishSpec) -> bytes:
        async def one(seq: int) -> None:
            await _broadcast(clients, messages[seq])

        return await paced_publish(one, spec)

    handlers = {"prepare": prepare, "cpu": cpu_seconds, "publish": publish, "backlog": no_backlog}

    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        conn.send((True, port))
        await serve_commands(conn, handlers)
    finally:
        server.should_exit = True
        await serving
        sock.close()
