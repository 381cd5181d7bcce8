"""A small end-to-end run of `ntx bench bus`: real processes, real sockets on 127.0.0.1."""

from __future__ import annotations

import json

from bench.bus import run_bus_bench
from bench.bus.stats import HEADLINE_KEYS


def test_small_run_delivers_everything_to_every_healthy_client() -> None:
    result = run_bus_bench(
        clients=5, repetitions=1, messages=60, rate_per_s=600.0, warmup_messages=0
    )
    summary = result.summary()
    assert tuple(summary)[: len(HEADLINE_KEYS)] == HEADLINE_KEYS
    assert json.loads(json.dumps(summary)) == summary
    assert summary["clients"] == 5
    assert summary["lost"] == 0
    assert summary["baseline_lost"] == 0
    assert isinstance(summary["slow_client_isolated"], bool)
    for run in (*result.with_stalled, *result.without_stalled, *result.baseline):
        assert run.published == 60
        assert run.delivered == 60 * 5
        assert run.deliveries_per_s > 0
        assert run.p99_ms > 0
    assert result.with_stalled[0].backlog > 0, "the stalled client never backed up the server"
    assert result.wall_s < 15
