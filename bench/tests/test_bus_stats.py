"""Figures of the bus benchmark: deliveries per second, p99, losses, isolation verdict."""

from __future__ import annotations

from array import array

import pytest

from bench.bus.specs import ClientReport
from bench.bus.stats import HEADLINE_KEYS, BusBenchResult, RunStats, percentile, run_stats


def report(recv_ns: list[int], pub_ns: list[int], clients: int) -> ClientReport:
    latencies = array("q", [r - p for r, p in zip(recv_ns, pub_ns * clients, strict=False)])
    return ClientReport(
        connections=clients,
        expected=len(pub_ns) * clients,
        received=len(recv_ns),
        unexpected=0,
        first_recv_ns=min(recv_ns),
        last_recv_ns=max(recv_ns),
        latencies_ns=latencies.tobytes(),
        cpu_s=0.1,
    )


def stats(rate: float, p99_ms: float, lost: int = 0) -> RunStats:
    return RunStats(rate, p99_ms, lost, 1_000, 10, 1.0, 0.01, 0.1, 0)


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.99, 0), ([5], 0.99, 5), (list(range(1, 101)), 0.99, 99), (list(range(1, 11)), 0.5, 5)],
)
def test_percentile_is_nearest_rank(values: list[int], fraction: float, expected: int) -> None:
    assert percentile(values, fraction) == expected


def test_run_stats_counts_deliveries_from_first_publish_to_last_receive() -> None:
    pub = [0, 500_000_000]
    reports = [
        report([1_000_000, 501_000_000], pub, 1),
        report([2_000_000], pub, 1),
    ]
    result = run_stats(array("q", pub).tobytes(), reports, server_cpu_s=0.03)
    assert result.delivered == 3
    assert result.lost == 1
    assert result.duration_s == pytest.approx(0.501)
    assert result.deliveries_per_s == pytest.approx(3 / 0.501)
    assert result.p99_ms == pytest.approx(2.0)
    assert result.server_cpu_us_per_delivery == pytest.approx(10_000)


@pytest.mark.parametrize(
    ("with_p99", "without_p99", "isolated"),
    [(10.0, 10.0, True), (17.5, 10.0, True), (17.6, 10.0, False), (4.0, 0.5, True)],
)
def test_isolation_allows_a_quarter_more_plus_5_ms(
    with_p99: float, without_p99: float, isolated: bool
) -> None:
    result = BusBenchResult(
        clients=100,
        messages=10,
        offered_msgs_per_s=10.0,
        message_bytes=700,
        with_stalled=(stats(30_000, with_p99), stats(1, 1e9), stats(30_000, with_p99)),
        without_stalled=(stats(30_000, without_p99),),
        baseline=(stats(10_000, 2.0, lost=3),),
        wall_s=12.0,
    )
    summary = result.summary()
    assert summary.keys() >= set(HEADLINE_KEYS)
    assert summary["slow_client_isolated"] is isolated
    assert summary["deliveries_per_s"] == 30_000
    assert summary["baseline_deliveries_per_s"] == 10_000
    assert summary["speedup"] == 3.0
    assert summary["lost"] == 0
    assert summary["baseline_lost"] == 3
