"""What every transport offers: publish envelopes, iterate over received ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from signal_schema import Envelope


class Publisher(Protocol):
    """Something envelopes can be published to."""

    async def publish(self, envelope: Envelope) -> None:
        """Hand `envelope` to every interested subscriber without waiting for them."""
        ...


class Subscriber(Protocol):
    """Something that yields envelopes on the topics it subscribed to."""

    def messages(self) -> AsyncIterator[Envelope]:
        """Yield envelopes in publication order."""
        ...
