"""The one shape every alert channel has, and the errors a send may raise."""

from __future__ import annotations

from typing import Protocol

from alert_system.alerts import Alert
from alert_system.errors import AlertSystemError, TemporaryError
from alert_system.settings import ChannelFilter
from signal_schema.system import AlertChannel


class DeliveryError(AlertSystemError):
    """A send failed.

    Parameters
    ----------
    reason
        Short, secret-free description (``HTTP 503``).
    permanent
        Never retry (a 4xx other than 429).
    retry_after
        Seconds the server asked us to wait (HTTP 429), if it said.
    status
        The HTTP status, when there was an answer.
    gone
        The target no longer exists (a deleted Discord webhook): stop using it.
    """

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
        gone: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent or gone
        self.retry_after = retry_after
        self.retry_after_secs = retry_after
        self.status = status
        self.gone = gone


class TemporaryDeliveryError(DeliveryError, TemporaryError):
    """A send failed in a way a later try may not (timeout, network, 5xx, 429): retried.

    Parameters
    ----------
    reason, retry_after, status
        As for `DeliveryError`.
    """

    def __init__(
        self, reason: str, *, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason, retry_after=retry_after, status=status)


class Channel(Protocol):
    """One delivery target: renders an alert into a body, later sends that body."""

    @property
    def name(self) -> AlertChannel:
        """Channel kind on AlertDelivered/AlertFailed (``telegram``, ``discord``, ``webhook``)."""
        ...

    @property
    def target(self) -> str:
        """Secret-free name of the destination (``chat:42``, ``discord``, ``host:port``)."""
        ...

    @property
    def idempotent(self) -> bool:
        """Whether the receiver can drop a repeated send (an alert id it sees again).

        A channel without such a key (Telegram, Discord) sends one alert at a time, whatever
        its ``concurrency``: a crash between a send and its mark repeats at most that one.
        """
        ...

    @property
    def filter(self) -> ChannelFilter:
        """Which alerts the channel takes, and its rate limit."""
        ...

    @property
    def template_format(self) -> str:
        """Template file extension used for this channel (``html``, ``md2``, ``json``)."""
        ...

    def package(self, alert: Alert, rendered: str) -> str:
        """Return the body to store and send, given the template's output."""
        ...

    def fallback(self, alert: Alert, text: str) -> str:
        """Return a body built without templates from a plain-text rendering."""
        ...

    def check(self, body: str) -> None:
        """Raise ValueError if a rendered body is not valid for the channel."""
        ...

    async def send(self, body: str, alert_id: str) -> None:
        """Deliver `body`; raise DeliveryError on failure."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
