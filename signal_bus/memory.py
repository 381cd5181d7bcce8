"""In-memory bus with the websocket transport's semantics, for tests and single-process use."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Sequence

from signal_bus.settings import OverflowPolicy
from signal_bus.topics import TopicMatcher
from signal_schema import Envelope


class SubscriptionClosed(Exception):
    """Raised inside `messages()` of a subscription kicked for falling behind."""


class InMemorySubscription:
    """A bounded queue of envelopes for one subscriber."""

    def __init__(self, topics: Sequence[str], queue_size: int, overflow: OverflowPolicy) -> None:
        self.matcher = TopicMatcher(topics)
        self._queue: deque[Envelope] = deque()
        self._queue_size = queue_size
        self._overflow = overflow
        self._wakeup = asyncio.Event()
        self.dropped = 0
        self.closed = False

    def offer(self, envelope: Envelope) -> None:
        """Queue `envelope` if subscribed, applying the overflow policy."""
        if self.closed or not self.matcher(envelope.topic):
            return
        if len(self._queue) >= self._queue_size:
            self.dropped += 1
            if self._overflow == "disconnect":
                self.closed = True
                self._wakeup.set()
                return
            self._queue.popleft()
        self._queue.append(envelope)
        self._wakeup.set()

    def get_nowait(self) -> Envelope | None:
        """Return the oldest queued envelope, or None."""
        return self._queue.popleft() if self._queue else None

    async def messages(self) -> AsyncIterator[Envelope]:
        """Yield queued envelopes forever; raise SubscriptionClosed when kicked."""
        while True:
            while self._queue:
                yield self._queue.popleft()
            if self.closed:
                raise SubscriptionClosed("subscriber fell behind and was disconnected")
            self._wakeup.clear()
            await self._wakeup.wait()


class InMemoryBus:
    """Publisher and subscription factory in one process; no serialisation."""

    def __init__(self, queue_size: int = 4_096, overflow: OverflowPolicy = "drop_oldest") -> None:
        self._queue_size = queue_size
        self._overflow = overflow
        self._subscriptions: list[InMemorySubscription] = []
        self.published = 0

    def subscribe(self, topics: Sequence[str]) -> InMemorySubscription:
        """Start receiving envelopes published from now on to `topics`."""
        subscription = InMemorySubscription(topics, self._queue_size, self._overflow)
        self._subscriptions.append(subscription)
        return subscription

    def publish_nowait(self, envelope: Envelope) -> None:
        """Queue `envelope` for every matching subscriber."""
        self.published += 1
        self._subscriptions = [s for s in self._subscriptions if not s.closed]
        for subscription in self._subscriptions:
            subscription.offer(envelope)

    async def publish(self, envelope: Envelope) -> None:
        """Publish without waiting (Publisher protocol)."""
        self.publish_nowait(envelope)
