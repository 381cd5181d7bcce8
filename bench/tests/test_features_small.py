"""The features benchmark runs end to end on the real 5m files (small, to stay quick)."""

from __future__ import annotations

from bench.features import run_features_bench


def test_small_bench_reports_its_figures() -> None:
    result = run_features_bench(14, updates_per_stream=20)
    assert result["streams"] == 14
    assert result["updates"] == 14 * 20
    figures = {
        key: result[key]
        for key in ("update_us_p50", "update_us_p99", "batch_rows_per_s", "features_only_us_p50")
    }
    numbers = {key: value for key, value in figures.items() if isinstance(value, int | float)}
    assert numbers == figures
    assert all(value > 0 for value in numbers.values())
    assert numbers["update_us_p50"] <= numbers["update_us_p99"]
