"""`ntx bench ...`: benchmarks that print their figures (JSON on the last line with --json).

The harnesses are not part of the installed package: they live in the repository's ``bench/``
folder and are loaded from there by name (an editable install finds it beside its source, or
the repository is the working directory). Without a checkout each command says so in one line.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

import neurotradex
from neurotradex.cli.output import emit

bench_app = typer.Typer(
    help="Run benchmarks (from a checkout of the repository).", no_args_is_help=True
)

NO_CHECKOUT = (
    "ntx bench: the benchmarks live in the repository's bench/ folder, not in the installed "
    "package; in a clone run `pip install -e '.[bench]'` then `ntx bench {name}`, or "
    "`python -m bench.{name}` from its root"
)


def checkout(candidates: tuple[Path, ...] | None = None) -> Path | None:
    """Return the repository root holding ``bench/`` (beside the source, else the working dir)."""
    if candidates is None:
        candidates = (Path(neurotradex.__file__).resolve().parents[1], Path.cwd())
    return next((c for c in candidates if (c / "bench" / "__init__.py").is_file()), None)


def harness(name: str, root: Path | None = None) -> ModuleType:
    """Import ``bench.<name>`` from the checkout, or end the command with where to run it."""
    root = root or checkout()
    if root is None:
        typer.echo(NO_CHECKOUT.format(name=name), err=True)
        raise typer.Exit(1)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))  # spawned workers inherit it
    return importlib.import_module(f"bench.{name}")


@bench_app.command("bus")
def bench_bus(
    clients: int = typer.Option(100, min=1, help="healthy websocket clients"),
    repetitions: int = typer.Option(3, min=1, help="repetitions; the median is reported"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Fan-out throughput and latency of the bus vs a naive FastAPI broadcaster."""
    result = harness("bus").run_bus_bench(clients=clients, repetitions=repetitions)
    emit(result.summary(), as_json=as_json, title="bus benchmark")


@bench_app.command("features")
def bench_features(
    streams: int = typer.Option(500, min=1, help="streams cut from the real 5m files"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Per-bar feature update latency over many streams, and batch throughput."""
    emit(
        harness("features").run_features_bench(streams=streams),
        as_json=as_json,
        title="features benchmark",
    )


@bench_app.command("alerts")
def bench_alerts(
    rate: float = typer.Option(120.0, min=1, help="signals offered per second"),
    seconds: float = typer.Option(20.0, min=1, help="how long signals are offered"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Signals → real bus → alert_system (outbox, HMAC) → webhook receiver: rate and latency."""
    emit(
        harness("alerts").run_alerts_bench(rate=rate, secs=seconds),
        as_json=as_json,
        title="alerts benchmark",
    )


@bench_app.command("explain")
def bench_explain(
    windows: int = typer.Option(200, min=1, help="real holdout windows timed"),
    reference_windows: int = typer.Option(20, min=1, help="windows compared with KernelSHAP"),
    permutation: bool = typer.Option(False, help="time the sampled permutation method instead"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Explanation latency (model call included), additivity gap and fidelity vs KernelSHAP."""
    result = harness("explain").run_explain_bench(
        windows=windows, reference_windows=reference_windows, sampled=permutation
    )
    emit(result, as_json=as_json, title="explain benchmark")


@bench_app.command("pipeline")
def bench_pipeline(
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """FeatureFrame in -> explained Signal out at 1, 50 and 500 symbols on the same bar."""
    emit(harness("pipeline").run_pipeline_bench(), as_json=as_json, title="pipeline benchmark")


@bench_app.command("inference")
def bench_inference(
    calls: int = typer.Option(1000, min=1000, help="single-window calls per repetition"),
    repetitions: int = typer.Option(3, min=1, help="repetitions; the median is reported"),
    train_batches: int = typer.Option(30, min=0, help="training batches first (0: untrained)"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """One-window LSTM latency: onnxruntime fp32/int8 vs torch eager, one thread each."""
    result = harness("inference").run_inference_bench(calls, repetitions, train_batches)
    emit(result, as_json=as_json, title="inference benchmark")


@bench_app.command("store")
def bench_store(
    data: Annotated[
        Path | None,
        typer.Argument(help="folder of ohlcv/binance/*-{1h,5m}.csv.gz (default NTX_DATA_DIR)"),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Candle storage: SQLite (the shipped store) vs DuckDB (bench extra) on the real files."""
    from market_store.paths import data_dir

    folder = data or data_dir()
    if folder is None:
        raise typer.BadParameter("give the data folder or set NTX_DATA_DIR", param_hint="DATA")
    result = harness("candle_store").run_candle_store_bench(folder.resolve())
    emit(result, as_json=as_json, title="candle store benchmark")
