"""Consumer side: subscribe to a producer's topics and reconnect with backoff and jitter."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from http import HTTPStatus

from tenacity import AsyncRetrying, RetryCallState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from signal_bus.backoff import Backoff
from signal_bus.codec import decode_envelope
from signal_bus.control import CONTROL_PREFIX, ServerControl, subscribe_frame
from signal_bus.errors import InvalidMessageError, OperationalError, TemporaryError
from signal_bus.metrics import BusMetrics
from signal_bus.retry import log_retry, retry_if_temporary
from signal_bus.settings import BusClientSettings
from signal_bus.throttle import ThrottledWarning
from signal_bus.topics import validate_patterns
from signal_schema import Envelope

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_POLICY_VIOLATION = 1008
_REFUSED = {HTTPStatus.UNAUTHORIZED.value, HTTPStatus.FORBIDDEN.value}


class BusClient:
    """Yield Envelopes from one producer; survives restarts of that producer."""

    def __init__(
        self,
        settings: BusClientSettings,
        topics: Sequence[str],
        *,
        metrics: BusMetrics | None = None,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.topics = validate_patterns(topics)
        self.metrics = metrics if metrics is not None else BusMetrics()
        self.backoff = Backoff(
            settings.backoff_initial_secs, settings.backoff_max_secs, settings.backoff_factor
        )
        self._rng = rng if rng is not None else random.Random()  # noqa: S311 - jitter only
        self._sleep = sleep
        self._outage_from = 1
        self._connection: ClientConnection | None = None
        self.connected = asyncio.Event()
        self.connections = 0
        self.failures = 0
        self._changed = asyncio.Condition()
        self.dropped_log = ThrottledWarning(log, "bus_frame_dropped")
        """One line for the first undecodable frame, then one per interval with the count."""

    async def messages(self) -> AsyncIterator[Envelope]:
        """Yield every valid Envelope on the subscribed topics, reconnecting as needed.

        Reconnects are tenacity retries of `TemporaryError` only; the backoff starts over
        when a connection that was up drops (a fresh outage). Any other error ends it.
        """
        self._outage_from = 1
        async for attempt in self._reconnects():
            with attempt:
                connections = self.connections
                try:
                    async for envelope in self._session():
                        yield envelope
                except TemporaryError:
                    if self.connections > connections:  # it was up: this is a fresh outage
                        self._outage_from = attempt.retry_state.attempt_number
                    await self._changed_state(failed=True)
                    self.metrics.reconnects.inc()
                    raise

    def _reconnects(self) -> AsyncRetrying:
        def wait(state: RetryCallState) -> float:
            return self.backoff.delay(state.attempt_number - self._outage_from, self._rng)

        def level(state: RetryCallState) -> int:
            first = state.attempt_number == self._outage_from
            return logging.WARNING if first else logging.DEBUG

        return AsyncRetrying(
            retry=retry_if_temporary,
            wait=wait,
            sleep=self._sleep,
            before_sleep=log_retry(log, f"bus {self.settings.url}", level=level),
            reraise=True,
        )

    async def publish(self, envelope: Envelope) -> None:
        """Send a command envelope to the producer (it must accept the topic)."""
        connection = self._connection
        if connection is None:
            raise TemporaryError(f"not connected to {self.settings.url}")
        try:
            await connection.send(envelope.to_json(), text=True)
        except ConnectionClosed as exc:
            raise TemporaryError(f"connection to {self.settings.url} closed") from exc

    async def _session(self) -> AsyncIterator[Envelope]:
        token = self.settings.token.get_secret_value()
        try:
            async with connect(
                self.settings.url,
                additional_headers={"Authorization": f"Bearer {token}"},
                max_size=self.settings.max_frame_bytes,
                compression=None,
                open_timeout=self.settings.open_timeout_secs,
            ) as connection:
                await connection.send(subscribe_frame(self.topics), text=True)
                await self._expect_ack(connection)
                self._connection = connection
                if self.failures:
                    log.info(
                        "subscribed to %s after %d failed attempts",
                        self.settings.url,
                        self.failures,
                    )
                await self._changed_state(failed=False)
                while True:
                    envelope = self._decode(await connection.recv(decode=False))
                    if envelope is not None:
                        yield envelope
        except InvalidStatus as exc:
            if exc.response.status_code in _REFUSED:
                raise OperationalError(f"{self.settings.url} refused the token") from exc
            raise TemporaryError(f"handshake failed: HTTP {exc.response.status_code}") from exc
        except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as exc:
            raise TemporaryError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            self._connection = None
            self.connected.clear()

    async def wait_connected(self, count: int = 1) -> None:
        """Wait until this client has completed `count` subscriptions (reconnects included)."""
        await self.wait_until(lambda: self.connections >= count)

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate()` holds; it is re-checked on every connect or failure."""
        async with self._changed:
            await self._changed.wait_for(predicate)

    async def _changed_state(self, *, failed: bool) -> None:
        async with self._changed:
            if failed:
                self.failures += 1
            else:
                self.connections += 1
                self.connected.set()
            self._changed.notify_all()

    async def _expect_ack(self, connection: ClientConnection) -> None:
        try:
            raw = await connection.recv(decode=False)
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == _POLICY_VIOLATION:
                raise OperationalError(f"subscription refused: {exc.rcvd.reason}") from exc
            raise
        control = ServerControl.model_validate_json(raw)
        if control.op != "subscribed":
            raise OperationalError(f"subscription refused: {control.reason}: {control.detail}")

    def _decode(self, data: bytes) -> Envelope | None:
        if data.startswith(CONTROL_PREFIX):
            log.warning("producer reported: %s", data[:300].decode(errors="replace"))
            return None
        try:
            envelope = decode_envelope(data)
        except InvalidMessageError as exc:
            self.metrics.rejected.labels(exc.reason).inc()
            self.dropped_log.warning("dropped frame from %s: %s", self.settings.url, exc)
            return None
        self.metrics.messages_in.inc()
        return envelope
