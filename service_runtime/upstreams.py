"""Follow upstream buses: connection state and the last heartbeat of each (for /healthz)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from service_runtime.logging import correlation
from signal_bus import BusClient, InvalidMessageError
from signal_bus.throttle import ThrottledWarning
from signal_schema import Envelope, Heartbeat

log = logging.getLogger(__name__)

EnvelopeHandler = Callable[[Envelope], Awaitable[None]]
MonotonicClock = Callable[[], float]


class UpstreamWatch:
    """Consume one upstream's bus and remember its last heartbeat.

    Parameters
    ----------
    name
        The upstream service (``model_engine``); the key in ``/healthz`` ``upstreams``.
    client
        A bus client subscribed to at least ``system.heartbeat`` on that service.
    on_envelope
        Called for every other envelope received (topics a service adds later).
    clock
        Monotonic seconds, injected for tests.
    """

    def __init__(
        self,
        name: str,
        client: BusClient,
        *,
        on_envelope: EnvelopeHandler | None = None,
        clock: MonotonicClock = time.monotonic,
    ) -> None:
        self.name = name
        self.client = client
        self._on_envelope = on_envelope
        self._clock = clock
        self.last_heartbeat: Heartbeat | None = None
        self._last_seen: float | None = None
        self._dropped_log = ThrottledWarning(log, "upstream_message_dropped")

    @property
    def connected(self) -> bool:
        """Whether the client is subscribed right now."""
        return self.client.connected.is_set()

    async def run(self) -> None:
        """Consume the upstream until cancelled (the client reconnects on its own)."""
        async for envelope in self.client.messages():
            if isinstance(envelope.message, Heartbeat):
                self.record(envelope.message)
            elif self._on_envelope is not None:
                await self._handle(self._on_envelope, envelope)

    async def _handle(self, handler: EnvelopeHandler, envelope: Envelope) -> None:
        with correlation(envelope.correlation_id):
            try:
                await handler(envelope)
            except InvalidMessageError as exc:
                self.client.metrics.rejected.labels(exc.reason).inc()
                self._dropped_log.warning("dropped %s from %s: %s", envelope.topic, self.name, exc)

    def record(self, beat: Heartbeat) -> None:
        """Note `beat` as the upstream's latest heartbeat; log a new instance once."""
        previous = self.last_heartbeat
        self.last_heartbeat = beat
        self._last_seen = self._clock()
        if previous is None or previous.instance_id != beat.instance_id:
            log.info(
                "upstream %s is up: instance %s, heartbeat %d",
                self.name,
                beat.instance_id,
                beat.seq,
                extra={"event": "upstream_seen", "upstream": self.name},
            )

    def health(self) -> dict[str, Any]:
        """Return this upstream's entry in ``/healthz`` ``upstreams``."""
        beat = self.last_heartbeat
        age = None if self._last_seen is None else round(self._clock() - self._last_seen, 3)
        return {
            "url": self.client.settings.url,
            "connected": self.connected,
            "last_heartbeat_age_secs": age,
            "instance_id": None if beat is None else beat.instance_id,
            "status": None if beat is None else beat.status,
        }
