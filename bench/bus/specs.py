"""What the orchestrator and the worker processes send each other (all picklable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class OursOptions:
    """How the bus server under test is configured."""

    token: str
    queue_size: int = 4_096
    overflow: Literal["drop_oldest", "disconnect"] = "drop_oldest"


@dataclass(frozen=True)
class BaselineOptions:
    """The bearer token the baseline endpoint accepts."""

    token: str


@dataclass(frozen=True)
class ClientsOptions:
    """A client process needs nothing up front; each run says where to connect."""


WorkerOptions = OursOptions | BaselineOptions | ClientsOptions


@dataclass(frozen=True)
class PublishSpec:
    """Publish `messages` at `rate_per_s`, stopping early after `max_secs`."""

    messages: int
    rate_per_s: float
    max_secs: float
    attributions: int


@dataclass(frozen=True)
class ConnectSpec:
    """Where and how many: `healthy` readers plus optionally one stalled client."""

    host: str
    port: int
    token: str
    healthy: int
    stalled: bool
    messages: int
    path: str = "/ws"


@dataclass(frozen=True)
class FinishSpec:
    """The publish times (index = sequence number) and how long to wait past the last one."""

    pub_ns: bytes
    grace_s: float


@dataclass(frozen=True)
class ClientReport:
    """What the healthy clients of one process received in one run."""

    connections: int
    expected: int
    received: int
    unexpected: int
    first_recv_ns: int
    last_recv_ns: int
    latencies_ns: bytes
    """array('q') of receive - publish, one per received (message, client)."""
    cpu_s: float
    """CPU time this client process spent from connect to report (harness cost)."""
