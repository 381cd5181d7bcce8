"""Follow every service's bus and fan each envelope out to the connected browsers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Mapping
from functools import cached_property
from typing import Any

from pydantic import SecretStr

from neurotradex.gateway.settings import GatewaySettings, RelaySettings, ServiceName
from neurotradex.gateway.tokens import ApiTokens
from signal_bus import BusClient, BusClientSettings, BusMetrics, OperationalError
from signal_bus.session import SLOW_CLOSE_CODE, ClientSession
from signal_schema import Envelope

log = logging.getLogger(__name__)


class TextFrame(bytes):
    """Envelope bytes that decode to `str` at most once, however many browsers get them."""

    @cached_property
    def text(self) -> str:
        """Decode the frame on first use; later uses share the same `str`."""
        return self.decode()


class Relay:
    """The browser relay's hub: upstream bus clients in, browser sessions out.

    Parameters
    ----------
    settings
        Topics to follow, per-browser queue size and overflow policy.
    upstreams
        Bus client settings per service; empty when no bus token is configured.
    tokens
        The gateway's tokens; a browser needs the read (or operator) token.
    metrics
        Counters shared by the upstream clients and the browser sessions.
    """

    def __init__(
        self,
        settings: RelaySettings,
        upstreams: Mapping[ServiceName, BusClientSettings],
        tokens: ApiTokens,
        *,
        metrics: BusMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.tokens = tokens
        self.metrics = metrics if metrics is not None else BusMetrics()
        self.clients: dict[ServiceName, BusClient] = {
            name: BusClient(s, settings.topics, metrics=self.metrics)
            for name, s in upstreams.items()
        }
        self.failed: dict[ServiceName, str] = {}
        self._sessions: set[ClientSession[bytes]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.metrics.watch_queues(lambda: [s.depth for s in self._sessions])

    @classmethod
    def from_settings(cls, settings: GatewaySettings, tokens: ApiTokens) -> Relay:
        """Build the relay for every service of `settings.upstream`."""
        relay = settings.relay
        upstreams: dict[ServiceName, BusClientSettings] = {}
        if settings.bus_token is not None:
            upstreams = {
                name: _client_settings(relay, urls.bus_url, settings.bus_token)
                for name, urls in settings.upstream.services().items()
            }
        built = cls(relay, upstreams, tokens)
        if not upstreams:
            built.failed = dict.fromkeys(settings.upstream.services(), "NTX_BUS_TOKEN is not set")
        return built

    async def start(self) -> None:
        """Follow every upstream bus in the background (each reconnects with backoff)."""
        if not self.clients:
            log.warning("NTX_BUS_TOKEN is not set: the relay follows no service bus")
        for name, client in self.clients.items():
            self._track(self._follow(name, client), f"relay-{name}")

    async def stop(self) -> None:
        """Stop following the upstream buses."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def publish_nowait(self, envelope: Envelope) -> None:
        """Serialise `envelope` once and queue the same frame for every interested browser."""
        topic = envelope.topic
        if self._sessions:
            frame = TextFrame(envelope.to_json())
            for session in tuple(self._sessions):
                session.offer(topic, frame)
        self.metrics.published.labels(topic).inc()

    def attach(self, session: ClientSession[bytes]) -> None:
        """Start relaying to a subscribed browser session."""
        self._sessions.add(session)
        self.metrics.clients.set(len(self._sessions))

    def detach(self, session: ClientSession[bytes]) -> None:
        """Stop relaying to a session whose connection ended."""
        self._sessions.discard(session)
        self.metrics.clients.set(len(self._sessions))

    def kick(self, session: ClientSession[bytes]) -> None:
        """Close a browser that fell behind (overflow policy `disconnect`)."""
        log.warning("disconnecting slow browser %s", session.sink.peer)
        self._track(session.sink.close(SLOW_CLOSE_CODE, "consumer too slow"), "relay-kick")

    @property
    def client_count(self) -> int:
        """Browsers subscribed right now."""
        return len(self._sessions)

    def stats(self) -> dict[str, Any]:
        """Return what `/api/health` reports under `relay`: browsers and upstream links."""
        upstreams = dict.fromkeys(self.failed, False)
        upstreams.update({name: c.connected.is_set() for name, c in self.clients.items()})
        body: dict[str, Any] = {"clients": self.client_count, "upstreams": upstreams}
        if self.failed:
            body["failed"] = dict(self.failed)
        return body

    async def _follow(self, name: ServiceName, client: BusClient) -> None:
        try:
            async for envelope in client.messages():
                self.publish_nowait(envelope)
        except OperationalError as exc:
            self.failed[name] = str(exc)
            log.error("relay stopped following %s: %s", name, exc)

    def _track(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("relay task %s failed", task.get_name(), exc_info=task.exception())


def _client_settings(relay: RelaySettings, url: str, token: SecretStr) -> BusClientSettings:
    return BusClientSettings(
        url=url,
        token=token,
        backoff_initial_secs=relay.backoff_initial_secs,
        backoff_max_secs=relay.backoff_max_secs,
    )
