"""A deliberately light websocket client: one asyncio Protocol per connection.

It does the HTTP upgrade itself, sends a masked subscribe frame, answers pings, and for each
message reads only the sequence number carried in `correlation_id` (a bytes search), stamping
the arrival time of the whole chunk once. That keeps the client side far below the servers'
cost, so the harness does not cap the figure it measures.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from array import array
from typing import cast

from bench.bus.frames import (
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    FrameError,
    FrameReader,
    accept_key,
    encode_client_frame,
)
from bench.bus.messages import CORRELATION_PREFIX, SEQ_DIGITS

SEQ_MARK = f'"correlation_id":"{CORRELATION_PREFIX}'.encode()
SUBSCRIBED_MARK = b'{"op":"subscribed"'
_SEQ_OFFSET = len(SEQ_MARK)
_MAX_HANDSHAKE = 16_384
_CLOSE_NORMAL = (1000).to_bytes(2, "big")


class Tally:
    """Counts healthy connections still short of `target` messages; `done` resolves at zero."""

    def __init__(self, target: int, connections: int) -> None:
        self.target = target
        self.remaining = connections
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def reset(self, target: int, received: list[int]) -> None:
        """Aim at `target` messages, given how many each connection has now."""
        self.target = target
        self.remaining = sum(1 for count in received if count < target)
        self._check()

    def reached(self) -> None:
        """One connection got its `target`-th message."""
        self.remaining -= 1
        self._check()

    def _check(self) -> None:
        if self.remaining <= 0 and not self.done.done():
            self.done.set_result(None)


def upgrade_request(host: str, port: int, path: str, token: str) -> tuple[bytes, bytes]:
    """Return the HTTP upgrade request and the `Sec-WebSocket-Key` it carries."""
    key = base64.b64encode(os.urandom(16))
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key.decode()}\r\n"
        f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()
    return request, key


class BenchClient(asyncio.Protocol):
    """One subscriber; `recv_ns[seq]` gets the arrival time of message `seq` (0 = not yet)."""

    _transport: asyncio.Transport
    """Set by `connection_made`, before any other callback."""

    def __init__(
        self, request: bytes, key: bytes, subscribe: bytes, tally: Tally | None, slots: int
    ) -> None:
        self._request = request
        self._expect_accept = accept_key(key)
        self._subscribe = subscribe
        self._tally = tally
        self._handshake = b""
        self._reader: FrameReader | None = None
        self._now = 0
        self.recv_ns = array("q", bytes(8 * slots))
        self.received = 0
        self.unexpected = 0
        self.subscribed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    @property
    def stalled(self) -> bool:
        """A stalled client stops reading right after its subscription is acknowledged."""
        return self._tally is None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        self._transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        try:
            if self._reader is None:
                self._upgrade(data)
            else:
                self._now = time.monotonic_ns()
                self._reader.feed(data)
        except FrameError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError(f"connection lost: {exc!r}"))
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self) -> None:
        """Say goodbye (normal closure) and close; a stalled client just aborts."""
        if self._transport.is_closing():
            return
        if self.stalled:
            self._transport.abort()
            return
        self._transport.write(encode_client_frame(OP_CLOSE, _CLOSE_NORMAL))
        self._transport.close()

    def _fail(self, exc: Exception) -> None:
        if not self.subscribed.done():
            self.subscribed.set_exception(exc)
        elif isinstance(exc, FrameError):
            self.unexpected += 1
        if isinstance(exc, FrameError):
            self._transport.abort()

    def _upgrade(self, data: bytes) -> None:
        self._handshake += data
        head, sep, rest = self._handshake.partition(b"\r\n\r\n")
        if not sep:
            if len(self._handshake) > _MAX_HANDSHAKE:
                raise FrameError("no end of HTTP headers from the server")
            return
        status = head.split(b"\r\n", 1)[0]
        if not status.startswith(b"HTTP/1.1 101"):
            raise FrameError(f"upgrade refused: {status.decode(errors='replace')}")
        if self._expect_accept not in head:
            raise FrameError("bad Sec-WebSocket-Accept from the server")
        self._reader = FrameReader(self._on_frame)
        self._transport.write(encode_client_frame(OP_TEXT, self._subscribe))
        if rest:
            self.data_received(rest)

    def _on_frame(self, opcode: int, data: bytes, start: int, end: int) -> None:
        if opcode == OP_TEXT:
            at = data.find(SEQ_MARK, start, end)
            if at >= 0:
                at += _SEQ_OFFSET
                self._record(int(data[at : at + SEQ_DIGITS]))
            else:
                self._control(data[start:end])
        elif opcode == OP_PING:
            self._transport.write(encode_client_frame(OP_PONG, data[start:end]))
        elif opcode == OP_CLOSE:
            self._transport.write(encode_client_frame(OP_CLOSE, data[start : start + 2]))
            self._transport.close()
        elif opcode != OP_PONG:
            raise FrameError(f"unexpected opcode {opcode}")

    def _record(self, seq: int) -> None:
        recv_ns = self.recv_ns
        if seq >= len(recv_ns) or recv_ns[seq]:
            self.unexpected += 1
            return
        recv_ns[seq] = self._now
        self.received += 1
        tally = self._tally
        if tally is not None and self.received == tally.target:
            tally.reached()

    def _control(self, payload: bytes) -> None:
        if not payload.startswith(SUBSCRIBED_MARK) or self.subscribed.done():
            raise FrameError(f"unexpected frame {payload[:80]!r}")
        self.subscribed.set_result(None)
        if self.stalled:
            self._transport.pause_reading()
