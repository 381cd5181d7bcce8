"""One service's Prometheus metrics: its own registry, holding the bus's metrics and its own.

Each service builds one `ServiceMetrics` (in ``build.py``) and registers its counters there,
so several services built in one process (tests, benchmarks) never clash in a global
registry. The host serves the registry on the HTTP API's ``GET /metrics``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Literal

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from signal_bus import BusMetrics
from signal_bus.metrics import METRICS_CONTENT_TYPE

__all__ = ["METRICS_CONTENT_TYPE", "ServiceMetrics"]

Samples = Mapping[tuple[str, ...], float]
"""Values by label values (``{(): 3.0}`` for a metric without labels)."""

LATENCY_BUCKETS_SECS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class ServiceMetrics:
    """A registry of one service: ``ntx_bus_*`` (its bus and clients) plus its own ``ntx_*``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.bus = BusMetrics(self.registry)

    def sampled(
        self,
        kind: Literal["counter", "gauge"],
        name: str,
        documentation: str,
        read: Callable[[], Samples],
        labels: Sequence[str] = (),
    ) -> None:
        """Expose values a domain object already keeps, read from `read()` at scrape time.

        A counter must only grow while the process lives (``published``, ``bars``).
        """
        self.registry.register(_Sampled(kind, name, documentation, read, tuple(labels)))

    def histogram(self, name: str, documentation: str) -> Histogram:
        """Return a latency histogram in seconds registered here."""
        return Histogram(name, documentation, buckets=LATENCY_BUCKETS_SECS, registry=self.registry)

    def render(self) -> bytes:
        """Return the Prometheus text exposition of every metric here."""
        return generate_latest(self.registry)


class _Sampled(Collector):
    """A metric family whose samples are read from the domain when scraped."""

    def __init__(
        self,
        kind: Literal["counter", "gauge"],
        name: str,
        documentation: str,
        read: Callable[[], Samples],
        labels: tuple[str, ...],
    ) -> None:
        self._family = CounterMetricFamily if kind == "counter" else GaugeMetricFamily
        self._name, self._doc, self._read, self._labels = name, documentation, read, labels

    def describe(self) -> list[Metric]:
        return [self._family(self._name, self._doc, labels=self._labels)]

    def collect(self) -> Iterator[Metric]:
        family = self._family(self._name, self._doc, labels=self._labels)
        for values, sample in self._read().items():
            family.add_metric(list(values), sample)
        yield family
