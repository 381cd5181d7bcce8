"""`ntx bench ...`: benchmarks that print their figures (JSON on the last line with --json)."""

from __future__ import annotations

import typer

from neurotradex.cli.output import emit

bench_app = typer.Typer(help="Run benchmarks.", no_args_is_help=True)


@bench_app.command("bus")
def bench_bus(
    clients: int = typer.Option(100, min=1, help="healthy websocket clients"),
    repetitions: int = typer.Option(3, min=1, help="repetitions; the median is reported"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Fan-out throughput and latency of the bus vs a naive FastAPI broadcaster."""
    from neurotradex.bench.bus import run_bus_bench

    result = run_bus_bench(clients=clients, repetitions=repetitions)
    emit(result.summary(), as_json=as_json, title="bus benchmark")


@bench_app.command("features")
def bench_features(
    streams: int = typer.Option(500, min=1, help="streams cut from the real 5m files"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Per-bar feature update latency over many streams, and batch throughput."""
    from neurotradex.bench.features import run_features_bench

    emit(run_features_bench(streams=streams), as_json=as_json, title="features benchmark")
