"""Prometheus metrics of one bus endpoint (own registry, so tests and services never clash)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from signal_bus.codec import REJECT_REASONS

HANDSHAKE_CLOSE_REASONS = ("idle_timeout", "invalid_utf8", "oversize", "protocol_error", "gone")
"""Why a connection ended before its subscribe: no frame in time, a 1007 or 1009 close, another
protocol error, or the peer went away."""

METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class BusMetrics:
    """Messages in/out, rejects, drops, disconnects, clients and queue depths."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.published = Counter("ntx_bus_published", "Envelopes published", ["topic"], registry=r)
        self.messages_out = Counter("ntx_bus_messages_out", "Frames written to peers", registry=r)
        self.messages_in = Counter("ntx_bus_messages_in", "Valid envelopes received", registry=r)
        self.rejected = Counter("ntx_bus_rejected", "Frames rejected", ["reason"], registry=r)
        self.dropped = Counter(
            "ntx_bus_dropped", "Frames dropped for a slow peer (drop_oldest)", registry=r
        )
        self.slow_disconnects = Counter(
            "ntx_bus_slow_disconnects", "Peers disconnected for falling behind", registry=r
        )
        self.auth_failures = Counter("ntx_bus_auth_failures", "Refused tokens", registry=r)
        self.oversize_closes = Counter(
            "ntx_bus_oversize_closes", "Connections closed for an oversized frame", registry=r
        )
        self.handshake_closes = Counter(
            "ntx_bus_handshake_closes",
            "Connections ended before a valid subscribe frame",
            ["reason"],
            registry=r,
        )
        self.reconnects = Counter("ntx_bus_reconnects", "Consumer reconnects", registry=r)
        self.clients = Gauge("ntx_bus_clients", "Connected subscribers", registry=r)
        self.queue_depth_max = Gauge("ntx_bus_queue_depth_max", "Deepest queue", registry=r)
        self.queue_depth_total = Gauge("ntx_bus_queue_depth_total", "Frames queued", registry=r)
        for reason in REJECT_REASONS:
            self.rejected.labels(reason)
        for reason in HANDSHAKE_CLOSE_REASONS:
            self.handshake_closes.labels(reason)

    def watch_queues(self, depths: Callable[[], list[int]]) -> None:
        """Compute queue gauges at scrape time from `depths()`."""
        self.queue_depth_max.set_function(lambda: float(max(depths(), default=0)))
        self.queue_depth_total.set_function(lambda: float(sum(depths())))

    def value(self, name: str, **labels: str) -> float:
        """Read one sample (e.g. `value("ntx_bus_rejected_total", reason="unknown_type")`)."""
        found = self.registry.get_sample_value(name, labels)
        return 0.0 if found is None else found

    def render(self) -> bytes:
        """Return the Prometheus text exposition."""
        return generate_latest(self.registry)
