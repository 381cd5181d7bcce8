"""One subscriber's bounded queue and writer task, so a slow peer never stalls the others."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Protocol

from websockets.exceptions import ConnectionClosed

from signal_bus.metrics import BusMetrics
from signal_bus.settings import OverflowPolicy
from signal_bus.topics import TopicMatcher

log = logging.getLogger(__name__)

SLOW_CLOSE_CODE = 1013  # "try again later": the consumer fell too far behind


class Sink(Protocol):
    """Where a session writes: a websocket of any server implementation."""

    async def send_frame(self, frame: bytes) -> None:
        """Write one text frame (UTF-8 JSON bytes); wait while the peer's buffer is full."""
        ...

    async def close(self, code: int, reason: str) -> None:
        """Close the connection with a websocket close code."""
        ...

    @property
    def peer(self) -> str:
        """Who is on the other end, for logs."""
        ...


class SinkClosedError(Exception):
    """Raised by a Sink whose connection is gone."""


class ClientSession:
    """Queue frames for one connection and write them in order from a single task."""

    def __init__(
        self,
        sink: Sink,
        matcher: TopicMatcher,
        *,
        queue_size: int,
        overflow: OverflowPolicy,
        metrics: BusMetrics,
        on_slow: Callable[[ClientSession], None],
    ) -> None:
        self.sink = sink
        self.matcher = matcher
        self._queue: deque[bytes] = deque()
        self._queue_size = queue_size
        self._overflow = overflow
        self._metrics = metrics
        self._on_slow = on_slow
        self._wakeup = asyncio.Event()
        self.kicked = False

    @property
    def depth(self) -> int:
        """Frames waiting to be written."""
        return len(self._queue)

    def offer(self, topic: str, frame: bytes) -> None:
        """Queue `frame` if this peer subscribed to `topic`; apply the overflow policy."""
        if self.matcher(topic):
            self.push(frame)

    def push(self, frame: bytes) -> None:
        """Queue a frame regardless of topic (control frames, acknowledgements)."""
        if self.kicked:
            return
        if len(self._queue) >= self._queue_size:
            if self._overflow == "disconnect":
                self.kicked = True
                self._queue.clear()
                self._metrics.slow_disconnects.inc()
                self._on_slow(self)
                return
            self._queue.popleft()
            self._metrics.dropped.inc()
        self._queue.append(frame)
        self._wakeup.set()

    async def run_writer(self) -> None:
        """Write queued frames until the connection closes."""
        queue, send, out = self._queue, self.sink.send_frame, self._metrics.messages_out
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                sent = 0
                while queue:
                    await send(queue.popleft())
                    sent += 1
                out.inc(sent)
        except (ConnectionClosed, SinkClosedError):
            log.debug("writer for %s stopped: connection closed", self.sink.peer)
