"""Transport for NeuroTradeX messages: websocket server/client and an in-memory bus."""

from signal_bus.backoff import Backoff
from signal_bus.client import BusClient
from signal_bus.codec import REJECT_REASONS, decode_envelope
from signal_bus.errors import BusError, InvalidMessageError, OperationalError, TemporaryError
from signal_bus.memory import InMemoryBus, InMemorySubscription, SubscriptionClosed
from signal_bus.metrics import BusMetrics
from signal_bus.protocols import Publisher, Subscriber
from signal_bus.server import BusServer
from signal_bus.settings import BusClientSettings, BusServerSettings, OverflowPolicy

__all__ = [
    "REJECT_REASONS",
    "Backoff",
    "BusClient",
    "BusClientSettings",
    "BusError",
    "BusMetrics",
    "BusServer",
    "BusServerSettings",
    "InMemoryBus",
    "InMemorySubscription",
    "InvalidMessageError",
    "OperationalError",
    "OverflowPolicy",
    "Publisher",
    "Subscriber",
    "SubscriptionClosed",
    "TemporaryError",
    "decode_envelope",
]
