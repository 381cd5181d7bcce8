"""The gateway's `/ws` for browsers: the token comes in the first frame, never in the URL."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import WebSocket, WebSocketDisconnect

from neurotradex.gateway.relay import Relay, TextFrame
from signal_bus import InvalidMessageError
from signal_bus.codec import NOT_ACCEPTED
from signal_bus.control import Subscribe, error_frame, parse_subscribe, subscribed_frame
from signal_bus.session import ClientSession, SinkClosedError
from signal_bus.topics import TopicMatcher

log = logging.getLogger(__name__)

POLICY_CLOSE_CODE = 1008
_CLOSE_REASONS = {1007: "invalid_utf8", 1009: "oversize", 1002: "protocol_error"}
_READ_ONLY = "the relay is read-only; operator actions go through the HTTP API"
_SEND_FAILURES = (WebSocketDisconnect, OSError, RuntimeError)


class StarletteSink:
    """A `signal_bus.session.Sink` over a Starlette websocket, sending raw ASGI text frames."""

    __slots__ = ("_closed", "_websocket")

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        self._closed = False

    def write_nowait(self, frame: bytes) -> bool:
        """Never write synchronously: ASGI sends are awaited, so frames go through the queue."""
        return False

    async def send_frame(self, frame: bytes) -> None:
        """Write one text frame; raise SinkClosedError once the connection is gone."""
        if self._closed:
            raise SinkClosedError(f"{self.peer} is closed")
        text = frame.text if isinstance(frame, TextFrame) else frame.decode()
        try:
            await self._websocket.send({"type": "websocket.send", "text": text})
        except _SEND_FAILURES as exc:
            self._closed = True
            raise SinkClosedError(f"{self.peer} went away") from exc

    async def close(self, code: int, reason: str) -> None:
        """Close the connection with `code` (once; later calls do nothing)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(*_SEND_FAILURES):
            await self._websocket.close(code, reason)

    @property
    def peer(self) -> str:
        """The browser's address, for logs."""
        client = self._websocket.client
        return f"{client.host}:{client.port}" if client is not None else "unknown"


async def serve_browser(websocket: WebSocket, relay: Relay) -> None:
    """Run one browser connection: subscribe handshake, then relay until it goes away.

    Parameters
    ----------
    websocket
        The accepted-to-be connection from FastAPI.
    relay
        The hub whose envelopes this browser receives.
    """
    await websocket.accept()
    sink = StarletteSink(websocket)
    session = await _handshake(websocket, sink, relay)
    if session is None:
        return
    relay.attach(session)
    writer = asyncio.create_task(session.run_writer(), name=f"relay-writer-{sink.peer}")
    try:
        while await _next_frame(websocket) is not None:
            relay.metrics.rejected.labels(NOT_ACCEPTED).inc()
            session.push(error_frame(NOT_ACCEPTED, _READ_ONLY))
    finally:
        relay.detach(session)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await writer


async def _handshake(
    websocket: WebSocket, sink: StarletteSink, relay: Relay
) -> ClientSession[bytes] | None:
    closes = relay.metrics.handshake_closes
    try:
        raw = await asyncio.wait_for(_first_frame(websocket), relay.settings.handshake_timeout_secs)
        if isinstance(raw, int):  # gone before subscribing: a 1007/1009 or the browser left
            closes.labels(_CLOSE_REASONS.get(raw, "gone")).inc()
            return None
        subscribe = parse_subscribe(raw)
    except TimeoutError:
        closes.labels("idle_timeout").inc()
        await sink.close(POLICY_CLOSE_CODE, "no subscribe frame in time")
        return None
    except InvalidMessageError as exc:
        relay.metrics.rejected.labels(exc.reason).inc()
        await sink.close(POLICY_CLOSE_CODE, exc.detail[:120])
        return None
    if relay.tokens.level_of(_presented_token(subscribe, websocket)) is None:
        relay.metrics.auth_failures.inc()
        log.warning("refused relay subscription from %s: missing or wrong token", sink.peer)
        await sink.close(POLICY_CLOSE_CODE, "unauthorized: missing or wrong token")
        return None
    session = ClientSession(
        sink,
        TopicMatcher(subscribe.topics),
        queue_size=relay.settings.queue_size,
        overflow=relay.settings.overflow,
        metrics=relay.metrics,
        on_slow=relay.kick,
    )
    session.push(subscribed_frame(subscribe.topics))
    return session


def _presented_token(subscribe: Subscribe, websocket: WebSocket) -> str | None:
    """The first frame's token; else an `Authorization: Bearer` header (non-browser clients)."""
    if subscribe.token is not None:
        return subscribe.token.get_secret_value()
    scheme, _, token = websocket.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def _first_frame(websocket: WebSocket) -> str | bytes | int:
    """The first text or binary frame, or the close code if the browser disconnected first."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        return int(message.get("code") or 1005)
    text: str | None = message.get("text")
    if text is not None:
        return text
    data: bytes | None = message.get("bytes")
    return data if data is not None else b""


async def _next_frame(websocket: WebSocket) -> str | bytes | None:
    """The next text or binary frame, or None once the browser disconnected."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        return None
    text: str | None = message.get("text")
    if text is not None:
        return text
    data: bytes | None = message.get("bytes")
    return data if data is not None else b""
