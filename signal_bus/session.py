"""One subscriber's bounded queue and writer task, so a slow peer never stalls the others."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from websockets.exceptions import ConnectionClosed

from signal_bus.metrics import BusMetrics
from signal_bus.settings import OverflowPolicy
from signal_bus.topics import TopicMatcher

log = logging.getLogger(__name__)

SLOW_CLOSE_CODE = 1013  # "try again later": the consumer fell too far behind


F = TypeVar("F")
F_contra = TypeVar("F_contra", contravariant=True)


class Sink(Protocol[F_contra]):
    """Where a session writes: a websocket of any server implementation.

    `F` is whatever the sink writes fastest: a pre-built frame for the bus server, the
    payload for the gateway's relay. The publisher builds it once per message.
    """

    def write_nowait(self, frame: F_contra) -> bool:
        """Write `frame` now if the peer keeps up; return False to have it queued instead."""
        ...

    async def send_frame(self, frame: F_contra) -> None:
        """Write one frame; wait while the peer's buffer is full."""
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


class ClientSession(Generic[F]):
    """Write frames to one peer in order: directly while it keeps up, else through a queue.

    The queue is bounded; a peer that falls `queue_size` frames behind loses its oldest
    frames (`drop_oldest`) or is disconnected (`disconnect`), so it never slows the others.
    """

    def __init__(
        self,
        sink: Sink[F],
        matcher: TopicMatcher,
        *,
        queue_size: int,
        overflow: OverflowPolicy,
        metrics: BusMetrics,
        on_slow: Callable[[ClientSession[F]], None],
    ) -> None:
        self.sink = sink
        self.matcher = matcher
        self._queue: deque[F] = deque()
        self._busy = False
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

    def offer(self, topic: str, frame: F) -> bool:
        """Deliver `frame` if this peer subscribed to `topic`; True if written right away."""
        return self.matcher(topic) and self.push(frame)

    def push(self, frame: F) -> bool:
        """Deliver a frame regardless of topic; True if written right away, False if queued."""
        if self.kicked:
            return False
        if not self._queue and not self._busy and self.sink.write_nowait(frame):
            return True
        if len(self._queue) >= self._queue_size:
            if self._overflow == "disconnect":
                self.kicked = True
                self._queue.clear()
                self._metrics.slow_disconnects.inc()
                self._on_slow(self)
                return False
            self._queue.popleft()
            self._metrics.dropped.inc()
        self._queue.append(frame)
        self._wakeup.set()
        return False

    async def run_writer(self) -> None:
        """Write queued frames until the connection closes."""
        queue, send, out = self._queue, self.sink.send_frame, self._metrics.messages_out
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                sent = 0
                self._busy = True
                while queue:
                    await send(queue.popleft())
                    sent += 1
                self._busy = False
                out.inc(sent)
        except (ConnectionClosed, SinkClosedError):
            log.debug("writer for %s stopped: connection closed", self.sink.peer)
