"""Request size limits, checked before routing: 414 for a long query, 413 for a large body.

Every refusal is a JSON ``{"detail": ...}`` with the limit, so a client learns why. uvicorn
is configured (`server.serve_gateway`) to read a request head of up to
`LimitSettings.max_head_bytes`, so a query far over the limit is still answered 414 instead
of the connection being dropped.
"""

from __future__ import annotations

import logging

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

DRAIN_BYTES = 64 * 1_048_576
"""How much of a refused body is read and dropped so the client reads the 413 (a client
still sending when the connection closes sees a reset instead of the answer)."""


class BodyTooLarge(Exception):
    """The request body went past the limit while it was read."""


class RequestLimits:
    """ASGI middleware refusing over-long query strings and over-large bodies.

    Parameters
    ----------
    app
        The app behind it.
    max_query_bytes
        The longest query string (bytes after ``?``) answered; longer ones get 414.
    max_body_bytes
        The largest body; a larger ``Content-Length`` gets 413 before anything is read, and a
        body without one is counted while it is read (413 once it passes the limit).
    """

    def __init__(self, app: ASGIApp, *, max_query_bytes: int, max_body_bytes: int) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) > self.max_query_bytes:
            await self._refuse(scope, send, 414, f"query string over {self.max_query_bytes} bytes")
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_body_bytes:
            await _drain(receive)
            await self._refuse(scope, send, 413, f"body over {self.max_body_bytes} bytes")
            return
        await self._counted(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _drain(receive)
            await self._refuse(scope, send, 413, f"body over {self.max_body_bytes} bytes")

    async def _refuse(self, scope: Scope, send: Send, status: int, detail: str) -> None:
        log.warning("refused %s %s: %s", scope.get("method", "GET"), scope.get("path"), detail)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1009, "reason": detail})
            return
        body = orjson.dumps({"detail": detail})
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive) -> None:
    """Read and drop the rest of a body, up to `DRAIN_BYTES`."""
    drained = 0
    while drained < DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
