"""The bus endpoint a producing service mounts: `/ws`, `/healthz` and `/metrics`.

Built on the `websockets` asyncio server for handshakes, reads, pings and closes (chosen by
measurement, see docs/decisions/0001-bus-websocket-server.md). Each envelope is serialised
once and framed once; the same frame bytes are written straight to every subscriber that
keeps up, and queued (bounded, per subscriber) for one that does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any, Self

import orjson
from pydantic import SecretStr
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from signal_bus.codec import NOT_ACCEPTED, decode_envelope
from signal_bus.control import error_frame, parse_subscribe, subscribed_frame
from signal_bus.errors import InvalidMessageError
from signal_bus.frames import text_frame
from signal_bus.metrics import METRICS_CONTENT_TYPE, BusMetrics
from signal_bus.session import SLOW_CLOSE_CODE, ClientSession, SinkClosedError
from signal_bus.settings import BusServerSettings
from signal_bus.throttle import ThrottledWarning
from signal_bus.topics import TopicMatcher
from signal_schema import Envelope

log = logging.getLogger(__name__)

CommandHandler = Callable[[Envelope], Awaitable[None]]
HealthProbe = Callable[[], Mapping[str, Any]]
POLICY_CLOSE_CODE = 1008
_CLOSE_REASONS = {1007: "invalid_utf8", 1009: "oversize"}


class _WebsocketsSink:
    """Sink of pre-built frames over a `websockets` server connection's transport."""

    __slots__ = ("_close_timeout", "_connection")

    def __init__(self, connection: ServerConnection, close_timeout_secs: float) -> None:
        self._connection = connection
        self._close_timeout = close_timeout_secs

    def write_nowait(self, frame: bytes) -> bool:
        connection = self._connection
        if connection.paused or connection.protocol.state is not State.OPEN:
            return False
        connection.transport.write(frame)
        return True

    async def send_frame(self, frame: bytes) -> None:
        connection = self._connection
        if connection.protocol.state is not State.OPEN:
            raise SinkClosedError(f"{self.peer} is closing")
        connection.transport.write(frame)
        await connection.drain()

    async def close(self, code: int, reason: str) -> None:
        """Close politely; abort the TCP connection if the peer does not read the close."""
        try:
            await asyncio.wait_for(self._connection.close(code, reason), self._close_timeout)
        except TimeoutError:
            self._connection.transport.abort()
            await self._connection.wait_closed()

    @property
    def peer(self) -> str:
        return str(self._connection.remote_address)


def _response(status: HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers([("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return Response(status.value, status.phrase, headers, body)


class BusServer:
    """Serve one service's topics to its consumers over websockets."""

    def __init__(
        self,
        settings: BusServerSettings,
        *,
        service: str,
        metrics: BusMetrics | None = None,
        on_command: CommandHandler | None = None,
        health: HealthProbe | None = None,
    ) -> None:
        self.settings = settings
        self.service = service
        self.metrics = metrics if metrics is not None else BusMetrics()
        self._on_command = on_command
        self._health = health
        self._tokens = tuple(t.get_secret_value().encode() for t in settings.tokens)
        self._sessions: set[ClientSession[bytes]] = set()
        self._connections: set[ServerConnection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: Server | None = None
        self._started = time.monotonic()
        self.metrics.watch_queues(lambda: [s.depth for s in self._sessions])
        self.rejected_log = ThrottledWarning(log, "bus_frame_rejected")
        """One line for the first rejected frame, then one per interval with the count."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on the configured host and port."""
        s = self.settings
        self._server = await serve(
            self._handle,
            s.host,
            s.port,
            process_request=self._process_request,
            max_size=s.max_frame_bytes,
            compression=None,
            ping_interval=s.ping_interval_secs,
            close_timeout=s.close_timeout_secs,
            server_header=None,
        )
        self._started = time.monotonic()
        log.info("bus for %s listening on %s", self.service, self.url)

    async def stop(self) -> None:
        """Close every connection (1001 going away), aborting peers that stopped reading."""
        server = self._server
        if server is not None:
            server.close()
            try:
                await asyncio.wait_for(server.wait_closed(), self.settings.close_timeout_secs + 1)
            except TimeoutError:
                for connection in tuple(self._connections):  # peers that never read the close
                    connection.transport.abort()
                await server.wait_closed()
            self._server = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.rejected_log.close()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._server is None:
            raise RuntimeError("server not started")
        port: int = next(iter(self._server.sockets)).getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """Where consumers connect."""
        return f"ws://{self.settings.host}:{self.port}/ws"

    @property
    def client_count(self) -> int:
        """Subscribed consumers right now."""
        return len(self._sessions)

    async def wait_kicks_closed(self) -> None:
        """Wait until every consumer disconnected for falling behind is closed or aborted."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def publish_nowait(self, envelope: Envelope) -> None:
        """Serialise and frame once; write or queue the same bytes for every subscriber."""
        frame = text_frame(envelope.to_json())
        topic = envelope.topic
        written = 0
        for session in tuple(self._sessions):
            written += session.offer(topic, frame)
        if written:
            self.metrics.messages_out.inc(written)
        self.metrics.published.labels(topic).inc()

    async def publish(self, envelope: Envelope) -> None:
        """Publish without waiting for any consumer (Publisher protocol)."""
        self.publish_nowait(envelope)

    def health(self) -> dict[str, Any]:
        """What `/healthz` reports."""
        body: dict[str, Any] = {
            "status": "ok",
            "service": self.service,
            "clients": self.client_count,
            "uptime_secs": round(time.monotonic() - self._started, 3),
        }
        if self._health is not None:
            body.update(self._health())
        return body

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        if path == "/healthz":
            return _response(HTTPStatus.OK, orjson.dumps(self.health()), "application/json")
        if path == "/metrics":
            return _response(HTTPStatus.OK, self.metrics.render(), METRICS_CONTENT_TYPE)
        if path != "/ws":
            return _response(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
        given = request.headers.get_all("Authorization")
        if len(given) > 1:
            self.metrics.auth_failures.inc()
            return _response(
                HTTPStatus.BAD_REQUEST, b"more than one Authorization header\n", "text/plain"
            )
        header = given[0] if given else None
        if header is not None and not self._header_ok(header):
            self.metrics.auth_failures.inc()
            return _response(HTTPStatus.UNAUTHORIZED, b"invalid bearer token\n", "text/plain")
        return None

    def _header_ok(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and self._token_ok(token.strip())

    def _token_ok(self, token: str) -> bool:
        presented = token.encode()
        return any(hmac.compare_digest(presented, known) for known in self._tokens)

    async def _handle(self, connection: ServerConnection) -> None:
        self._connections.add(connection)
        try:
            await self._serve(connection)
        finally:
            self._connections.discard(connection)

    async def _serve(self, connection: ServerConnection) -> None:
        session = await self._handshake(connection)
        if session is None:
            return
        self._sessions.add(session)
        self.metrics.clients.set(len(self._sessions))
        writer = asyncio.create_task(session.run_writer(), name=f"bus-writer-{connection.id}")
        try:
            async for raw in connection:
                await self._on_frame(session, raw)
        except ConnectionClosed as exc:
            if exc.rcvd is None and exc.sent is not None and exc.sent.code == 1009:
                self.metrics.oversize_closes.inc()
        finally:
            self._sessions.discard(session)
            self.metrics.clients.set(len(self._sessions))
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer

    async def _handshake(self, connection: ServerConnection) -> ClientSession[bytes] | None:
        try:
            raw = await asyncio.wait_for(connection.recv(), self.settings.handshake_timeout_secs)
            subscribe = parse_subscribe(raw)
        except TimeoutError:
            self.metrics.handshake_closes.labels("idle_timeout").inc()
            await connection.close(POLICY_CLOSE_CODE, "no subscribe frame in time")
            return None
        except ConnectionClosed as exc:
            self.metrics.handshake_closes.labels(_close_reason(exc)).inc()
            return None
        except InvalidMessageError as exc:
            self.metrics.rejected.labels(exc.reason).inc()
            await connection.close(POLICY_CLOSE_CODE, exc.detail[:120])
            return None
        if not self._authorised(connection, subscribe.token):
            self.metrics.auth_failures.inc()
            await connection.close(POLICY_CLOSE_CODE, "unauthorized: missing or wrong token")
            return None
        session = ClientSession(
            _WebsocketsSink(connection, self.settings.close_timeout_secs),
            TopicMatcher(subscribe.topics),
            queue_size=self.settings.queue_size,
            overflow=self.settings.overflow,
            metrics=self.metrics,
            on_slow=self._kick,
        )
        session.push(text_frame(subscribed_frame(subscribe.topics)))
        return session

    def _authorised(self, connection: ServerConnection, token: SecretStr | None) -> bool:
        if token is not None:
            return self._token_ok(token.get_secret_value())
        request = connection.request
        return request is not None and "Authorization" in request.headers

    async def _on_frame(self, session: ClientSession[bytes], raw: str | bytes) -> None:
        try:
            envelope = decode_envelope(raw)
            if envelope.topic not in self.settings.accept_topics or self._on_command is None:
                raise InvalidMessageError(NOT_ACCEPTED, f"{self.service} takes no {envelope.topic}")
        except InvalidMessageError as exc:
            self.metrics.rejected.labels(exc.reason).inc()
            self.rejected_log.warning("rejected frame from %s: %s", session.sink.peer, exc)
            session.push(text_frame(error_frame(exc.reason, exc.detail)))
            return
        self.metrics.messages_in.inc()
        try:
            await self._on_command(envelope)
        except Exception:
            log.exception("command handler failed on %s", envelope.topic)

    def _kick(self, session: ClientSession[bytes]) -> None:
        log.warning("disconnecting slow consumer %s", session.sink.peer)
        self._sessions.discard(session)
        self.metrics.clients.set(len(self._sessions))
        task = asyncio.create_task(session.sink.close(SLOW_CLOSE_CODE, "consumer too slow"))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _close_reason(exc: ConnectionClosed) -> str:
    """Name why a connection closed before its subscribe (`HANDSHAKE_CLOSE_REASONS`)."""
    if exc.rcvd is None and exc.sent is not None:  # we closed it: a protocol error
        return _CLOSE_REASONS.get(exc.sent.code, "protocol_error")
    return "gone"
