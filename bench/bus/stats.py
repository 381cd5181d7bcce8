"""Figures of one run and of the whole benchmark."""

from __future__ import annotations

import math
import statistics
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bench.bus.specs import ClientReport

ISOLATION_FACTOR = 1.25
ISOLATION_SLACK_MS = 5.0


@dataclass(frozen=True)
class RunStats:
    """One repetition against one server: healthy-client deliveries and their latency."""

    deliveries_per_s: float
    p99_ms: float
    lost: int
    delivered: int
    published: int
    duration_s: float
    server_cpu_s: float
    client_cpu_s: float
    backlog: int
    """Deepest per-client queue in the server when publishing ended (the stalled client's)."""

    @property
    def server_cpu_us_per_delivery(self) -> float:
        """Server CPU time per delivered message, independent of the machine's other load."""
        return 1e6 * self.server_cpu_s / self.delivered if self.delivered else 0.0


def percentile(sorted_values: Sequence[int], fraction: float) -> int:
    """Nearest-rank percentile of already sorted values (0 when there are none)."""
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def run_stats(
    pub_ns: bytes, reports: Sequence[ClientReport], server_cpu_s: float, backlog: int = 0
) -> RunStats:
    """Deliveries per second from the first publish to the last receive, p99 and losses."""
    published = array("q")
    published.frombytes(pub_ns)
    latencies = array("q")
    for report in reports:
        latencies.frombytes(report.latencies_ns)
    delivered = sum(report.received for report in reports)
    expected = sum(report.expected for report in reports)
    last = max((report.last_recv_ns for report in reports), default=0)
    duration_s = (last - published[0]) / 1e9 if published and last else 0.0
    return RunStats(
        deliveries_per_s=delivered / duration_s if duration_s > 0 else 0.0,
        p99_ms=percentile(sorted(latencies), 0.99) / 1e6,
        lost=expected - delivered,
        delivered=delivered,
        published=len(published),
        duration_s=duration_s,
        server_cpu_s=server_cpu_s,
        client_cpu_s=sum(report.cpu_s for report in reports),
        backlog=backlog,
    )


HEADLINE_KEYS = (
    "clients",
    "deliveries_per_s",
    "baseline_deliveries_per_s",
    "p99_ms",
    "lost",
    "slow_client_isolated",
)
"""The issue's six figures, first in `BusBenchResult.summary` in this order."""


@dataclass(frozen=True)
class BusBenchResult:
    """Every repetition of the three configurations, and how the run was set up."""

    clients: int
    messages: int
    offered_msgs_per_s: float
    message_bytes: int
    with_stalled: tuple[RunStats, ...]
    without_stalled: tuple[RunStats, ...]
    baseline: tuple[RunStats, ...]
    wall_s: float

    @property
    def slow_client_isolated(self) -> bool:
        """Whether a stalled client leaves the healthy clients' p99 (nearly) unchanged."""
        limit = ISOLATION_FACTOR * _median_p99(self.without_stalled) + ISOLATION_SLACK_MS
        return _median_p99(self.with_stalled) <= limit

    def summary(self) -> dict[str, object]:
        """The figures `ntx bench bus --json` prints: the issue's six keys first, then context.

        Rates, p99s and CPU costs are medians over the repetitions; losses are totals.
        """
        ours = _median_rate(self.with_stalled)
        baseline = _median_rate(self.baseline)
        return {
            "clients": self.clients,
            "deliveries_per_s": round(ours),
            "baseline_deliveries_per_s": round(baseline),
            "p99_ms": round(_median_p99(self.with_stalled), 2),
            "lost": sum(run.lost for run in (*self.with_stalled, *self.without_stalled)),
            "slow_client_isolated": self.slow_client_isolated,
            "speedup": round(ours / baseline, 2) if baseline else None,
            "p99_ms_without_stalled": round(_median_p99(self.without_stalled), 2),
            "baseline_p99_ms": round(_median_p99(self.baseline), 2),
            "baseline_lost": sum(run.lost for run in self.baseline),
            "stalled_backlog_frames": round(_median(run.backlog for run in self.with_stalled)),
            "server_cpu_us_per_delivery": _median_cpu(self.with_stalled),
            "baseline_server_cpu_us_per_delivery": _median_cpu(self.baseline),
            "offered_msgs_per_s": self.offered_msgs_per_s,
            "messages": self.messages,
            "message_bytes": self.message_bytes,
            "repetitions": len(self.with_stalled),
            "wall_s": round(self.wall_s, 1),
        }


def _median(values: Iterable[float]) -> float:
    collected = list(values)
    return statistics.median(collected) if collected else 0.0


def _median_rate(runs: Sequence[RunStats]) -> float:
    return _median(run.deliveries_per_s for run in runs)


def _median_p99(runs: Sequence[RunStats]) -> float:
    return _median(run.p99_ms for run in runs)


def _median_cpu(runs: Sequence[RunStats]) -> float:
    return round(_median(run.server_cpu_us_per_delivery for run in runs), 2)
