"""A real bus server on 127.0.0.1 and helpers to publish real messages to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from pydantic import SecretStr

from signal_bus import BusClient, BusClientSettings, BusServer, BusServerSettings
from signal_schema import Envelope
from tests.schema_factories import heartbeat, log_record, rebuild

TOKEN = "bus-test-token"


def server_settings(**overrides: object) -> BusServerSettings:
    """Server settings with the test token; overrides as keyword arguments."""
    return BusServerSettings.model_validate({"tokens": (SecretStr(TOKEN),), **overrides})


def client_for(server: BusServer, topics: list[str], token: str = TOKEN) -> BusClient:
    """A real client with short backoff, pointed at `server`."""
    settings = BusClientSettings(
        url=server.url, token=SecretStr(token), backoff_initial_secs=0.01, backoff_max_secs=0.2
    )
    return BusClient(settings, topics)


def heartbeat_envelope(seq: int) -> Envelope:
    """A Heartbeat envelope numbered `seq`."""
    return Envelope.of(rebuild(heartbeat(), seq=seq))


def big_log_envelope(seq: int) -> Envelope:
    """A ~2 KB LogRecord envelope numbered by its correlation id."""
    return Envelope.of(rebuild(log_record(), text="x" * 1_900), correlation_id=f"log-{seq}")


@pytest.fixture
async def bus_server() -> AsyncIterator[BusServer]:
    """A started server accepting the test token."""
    async with BusServer(server_settings(), service="test") as server:
        yield server


@pytest.fixture
def make_server() -> Callable[..., BusServer]:
    """Build (not start) a server with custom settings."""
    return lambda **overrides: BusServer(server_settings(**overrides), service="test")
