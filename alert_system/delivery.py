"""Deliver alerts: filter, render, store in the outbox, then one send loop per channel.

A channel's loop takes its oldest due row, waits for its rate limiter, records that the
attempt starts, sends, and records the outcome (outbox, bus, daily log); the outbox marks a row
delivered in the transaction that ends its attempt, so after a crash only the attempts in
flight are sent again (`alert_system.outbox`). A channel without an idempotency key
(``Channel.idempotent``: Telegram, Discord) has one send in flight at a time. 5xx and
timeouts back off exponentially with jitter; a 429 waits the server's ``retry_after``; other
4xx fail at once (`RetryPolicy`, built from `signal_bus.retry`; the outbox, not a sleep, holds
a row until its retry). One channel failing never delays the others: each has its own loop.
A target that is gone (a deleted Discord webhook answers 404) is disabled: logged once, its
pending alerts failed with the reason, its loop ended, and new alerts no longer stored for it
(until the service restarts).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from tenacity import stop_after_attempt
from tenacity.wait import wait_fixed

from alert_system import outcomes
from alert_system.alerts import Alert
from alert_system.channels.base import Channel, DeliveryError
from alert_system.deliverylog import DeliveryLog
from alert_system.outbox import Outbox, Row
from alert_system.ratelimit import RateLimiter
from alert_system.render import Renderer
from signal_bus import Publisher
from signal_bus.retry import delay_of, retry_delay, wait_backoff, wait_jittered, wait_retry_after

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Which failed sends are tried again, and when (tenacity's strategies, not its loop).

    Only temporary failures (`TemporaryDeliveryError`: timeouts, 5xx, 429) are retried, up to
    `max_attempts` tries in all. Backoff is ``initial * 2**(attempt-1)`` capped at
    ``maximum``, times a jitter in [0.5, 1]; a 429 waits at least the server's
    ``retry_after`` plus up to 50 ms.
    """

    max_attempts: int = 8
    initial_secs: float = 0.5
    maximum_secs: float = 60.0

    def wait(self, rng: random.Random) -> wait_retry_after:
        """Return the tenacity wait after a failed send."""
        backoff = wait_backoff(self.initial_secs, self.maximum_secs, rng=rng)
        return wait_retry_after(backoff, jitter=wait_jittered(wait_fixed(0.05), 0.0, 1.0, rng))

    def delay(self, attempts: int, error: DeliveryError, rng: random.Random) -> float:
        """Return seconds until the next try after `attempts` failed tries."""
        return delay_of(self.wait(rng), error, attempts)

    def next_try(self, attempts: int, error: DeliveryError, rng: random.Random) -> float | None:
        """Return seconds until the next try, or None when `error` is not retried."""
        stop = stop_after_attempt(self.max_attempts)
        return retry_delay(error, attempts, wait=self.wait(rng), stop=stop)


def wants(channel: Channel, alert: Alert) -> bool:
    """Tell whether `channel`'s filters let `alert` through."""
    rules = channel.filter
    types = rules.type_set()
    if types and alert.kind not in types:
        return False
    symbols = rules.symbol_set()
    if symbols and alert.symbol is not None and alert.symbol not in symbols:
        return False
    return alert.confidence is None or alert.confidence >= rules.min_confidence


class Dispatcher:
    """Own the outbox and the channels' send loops."""

    def __init__(
        self,
        channels: list[Channel],
        outbox: Outbox,
        renderer: Renderer,
        daily_log: DeliveryLog,
        policy: RetryPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.channels = channels
        self.outbox = outbox
        self.renderer = renderer
        self.daily_log = daily_log
        self.policy = policy
        self._clock = clock
        self._rng = random.Random()  # noqa: S311 - jitter only
        self._wake = {id(c): asyncio.Event() for c in channels}
        self.disabled: dict[str, str] = {}
        """``channel:target`` → why it was disabled."""
        self.delivered = 0
        self.failed = 0
        for row in outbox.recovered:
            log.warning(
                "alert %s to %s %s was in flight when the last process ended: sending it again",
                row.alert_id,
                row.channel,
                row.target,
                extra={"event": "alert_in_doubt", "channel": row.channel},
            )

    def offer(self, alert: Alert) -> int:
        """Render and store `alert` for every channel that wants it; return rows added."""
        added = 0
        for channel in self.channels:
            if _key(channel) in self.disabled or not wants(channel, alert):
                continue
            body = self.renderer.render(alert, channel)
            row = Row(
                alert.alert_id,
                channel.name,
                channel.target,
                alert.source_topic,
                body,
                0,
                self._clock(),
            )
            if self.outbox.add(row):
                added += 1
                self._wake[id(channel)].set()
        return added

    async def run(self, channel: Channel, bus: Publisher) -> None:
        """Send `channel`'s rows until cancelled or disabled, up to ``concurrency`` at a time."""
        limiter = RateLimiter(channel.filter.rate_per_s)
        wake = self._wake[id(channel)]
        slots = asyncio.Semaphore(channel.filter.concurrency if channel.idempotent else 1)
        inflight: dict[str, asyncio.Task[None]] = {}
        try:
            while True:
                await slots.acquire()
                if _key(channel) in self.disabled:
                    return
                row = self.outbox.next_due(
                    channel.name, channel.target, self._clock(), set(inflight)
                )
                if row is None:
                    slots.release()
                    await self._idle(channel, wake, busy=bool(inflight))
                    continue
                await limiter.acquire()
                self.outbox.start(row, self._clock())  # committed before the send
                task = asyncio.create_task(self._attempt(channel, row, bus))
                inflight[row.alert_id] = task
                task.add_done_callback(
                    functools.partial(
                        self._done, key=row.alert_id, inflight=inflight, slots=slots, wake=wake
                    )
                )
        finally:
            for task in inflight.values():
                task.cancel()

    @staticmethod
    def _done(
        task: asyncio.Task[None],
        key: str,
        inflight: dict[str, asyncio.Task[None]],
        slots: asyncio.Semaphore,
        wake: asyncio.Event,
    ) -> None:
        inflight.pop(key, None)
        slots.release()
        wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery of %s crashed", key, exc_info=task.exception())

    async def _idle(self, channel: Channel, wake: asyncio.Event, *, busy: bool) -> None:
        wake.clear()
        due = self.outbox.next_time(channel.name, channel.target)
        timeout = None if due is None else due - self._clock()
        if busy and timeout is not None and timeout <= 0:
            timeout = None  # the due rows are in flight: wait for one to finish
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), None if timeout is None else max(0.0, timeout))

    async def _attempt(self, channel: Channel, row: Row, bus: Publisher) -> None:
        attempts = row.attempts + 1
        try:
            await channel.send(row.body, row.alert_id)
        except DeliveryError as exc:
            await self._failed(channel, row, attempts, exc, bus)
            return
        except Exception as exc:  # a bug in a channel: end the attempt, try again later
            later = self._clock() + self.policy.initial_secs
            self.outbox.retry_at(row, attempts, later, f"crashed: {type(exc).__name__}")
            raise
        now = self._clock()
        latency_ms = max(0.0, (now - row.created_at) * 1000)
        self.outbox.delivered(row, attempts, now)
        self.delivered += 1
        await outcomes.delivered(bus, self.daily_log, channel.name, row, attempts, latency_ms)

    async def _failed(
        self, channel: Channel, row: Row, attempts: int, exc: DeliveryError, bus: Publisher
    ) -> None:
        if exc.gone:
            await self._disable(channel, row, attempts, exc.reason, bus)
            return
        delay = self.policy.next_try(attempts, exc, self._rng)
        if delay is not None:
            self.outbox.retry_at(row, attempts, self._clock() + delay, exc.reason)
            log.warning(
                "alert %s to %s %s failed (%s), retry in %.2fs",
                row.alert_id,
                row.channel,
                row.target,
                exc.reason,
                delay,
            )
            return
        await self._give_up(channel, row, attempts, exc.reason, bus)

    async def _give_up(
        self, channel: Channel, row: Row, attempts: int, reason: str, bus: Publisher
    ) -> None:
        self.outbox.failed(row, attempts, reason)
        self.failed += 1
        log.error(
            "alert %s to %s %s failed for good: %s",
            row.alert_id,
            row.channel,
            row.target,
            reason,
            extra={"event": "alert_failed"},
        )
        await outcomes.failed(bus, self.daily_log, channel.name, row, attempts, reason)

    async def _disable(
        self, channel: Channel, row: Row, attempts: int, reason: str, bus: Publisher
    ) -> None:
        key = _key(channel)
        if key not in self.disabled:
            self.disabled[key] = reason
            log.error(
                "%s target %s disabled: %s",
                channel.name,
                channel.target,
                reason,
                extra={"event": "channel_disabled", "channel": channel.name},
            )
            self._wake[id(channel)].set()  # let the loop see it and end
        await self._give_up(channel, row, attempts, reason, bus)
        for pending in self.outbox.pending(channel.name, channel.target):
            if pending.alert_id != row.alert_id:
                # never tried: the bus message counts at least one attempt (its schema)
                await self._give_up(channel, pending, max(1, pending.attempts), reason, bus)


def _key(channel: Channel) -> str:
    return f"{channel.name}:{channel.target}"
