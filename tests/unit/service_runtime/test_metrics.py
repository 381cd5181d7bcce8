"""Each service's registry is its own; sampled counters read the domain when scraped."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from service_runtime import ServiceMetrics


def samples(metrics: ServiceMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(metrics.render().decode())
        for s in family.samples
    }


def test_two_services_in_one_process_register_the_same_names() -> None:
    counts = {"accepted": 0}
    first, second = ServiceMetrics(), ServiceMetrics()
    for metrics in (first, second):
        metrics.sampled(
            "counter",
            "ntx_toy_decisions",
            "Decisions",
            lambda: {("accepted",): counts["accepted"]},
            ["outcome"],
        )
        metrics.sampled("gauge", "ntx_toy_ready", "Ready", lambda: {(): 1})
    counts["accepted"] = 3
    got = samples(first)
    assert got[("ntx_toy_decisions_total", (("outcome", "accepted"),))] == 3
    assert got[("ntx_toy_ready", ())] == 1
    assert ("ntx_bus_clients", ()) in got  # the bus's metrics share the registry
    assert samples(second)[("ntx_toy_decisions_total", (("outcome", "accepted"),))] == 3


def test_latency_histogram_counts_observations() -> None:
    metrics = ServiceMetrics()
    latency = metrics.histogram("ntx_toy_seconds", "Latency")
    latency.observe(0.02)
    got = samples(metrics)
    assert got[("ntx_toy_seconds_count", ())] == 1
    assert got[("ntx_toy_seconds_bucket", (("le", "0.025"),))] == 1
