"""`ntx train` and `ntx models`: versioned model artifacts under NTX_HOME/models/."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from market_store.paths import ntx_home
from market_store.times import iso_utc
from neurotradex.cli.market import candle_loader, market_now, say, time_ms
from neurotradex.cli.output import emit, quiet_training_logs

if TYPE_CHECKING:
    from feature_spec import Ohlcv
    from model_engine.artifacts import LoadedArtifact
    from model_engine.evaluation.gate import GateResult

DEFAULT_SYMBOLS = "BTC/USDT,ETH/USDT"


def _candles(
    symbols: tuple[str, ...], timeframe: str, since: str, until: str
) -> tuple[int, int, dict[str, Ohlcv]]:
    """Return the range ``since`` and ``until`` name (``now`` is the market's) and its candles."""
    with candle_loader() as loader:
        now_ms = market_now(loader, symbols, timeframe, since, until)
        since_ms, until_ms = time_ms(since, now_ms, "--since"), time_ms(until, now_ms, "--until")
        if since_ms >= until_ms:
            raise typer.BadParameter(f"{since} is not before {until}", param_hint="--since")
        candles = loader.load_all(symbols, timeframe, since_ms, until_ms)
    span = f"{iso_utc(since_ms)[:16]} to {iso_utc(until_ms)[:16]} UTC"
    for symbol, bars in candles.items():
        say(f"{symbol} {timeframe}: {len(bars)} candles from {span}")
    return since_ms, until_ms, candles


def _explainer(artifact: LoadedArtifact) -> str:
    """The method serving will use for this artifact's explanations."""
    info = artifact.manifest.explainer
    if info is None or artifact.explainer_path is None:
        return "permutation-shapley"
    return info.method


HOLDOUT_FIGURES = ("accuracy", "majority_accuracy", "log_loss", "prior_log_loss")
"""The holdout figures `ntx models` shows beside each artifact: the model's accuracy and log loss
against the majority class's accuracy and the training class prior's log loss (artifacts
written before ``prior_log_loss`` existed have none: null in JSON, `MISSING` in the table)."""
MISSING = "\N{EN DASH}"


def _figures(artifact: LoadedArtifact) -> dict[str, float | None]:
    """The artifact's `HOLDOUT_FIGURES` (None where its manifest has none)."""
    metrics = artifact.manifest.metrics
    return {key: metrics.get(key) for key in HOLDOUT_FIGURES}


def _holdout_line(metrics: Mapping[str, float]) -> str:
    """Say how the new model's holdout compares with the naive forecasts, in one line."""
    accuracy, majority = metrics["accuracy"], metrics["majority_accuracy"]
    loss, prior = metrics["log_loss"], metrics["prior_log_loss"]
    verdict = "beats" if loss < prior else "does NOT beat"
    return (
        f"holdout: accuracy {accuracy:.3f} (majority class {majority:.3f}), log loss {loss:.3f} "
        f"(training prior {prior:.3f}): {verdict} the naive forecast"
    )


def _cell(value: float | None) -> str:
    """A figure in a table cell: three decimals, or `MISSING`."""
    return MISSING if value is None or value != value else f"{value:.3f}"


def _gate_text(result: GateResult) -> str:
    """The gate's verdict in a table cell: ``live`` or ``paper only`` with the failed checks."""
    return "live" if result.passed else "paper only: " + "; ".join(result.reasons)


def train(
    model: str = typer.Option(
        "lstm", help="lstm or transformer; several (lstm,transformer) make an ensemble"
    ),
    symbols: str = typer.Option(DEFAULT_SYMBOLS, help="comma-separated pairs"),
    timeframe: str = typer.Option("1h", help="candle timeframe"),
    since: str = typer.Option(
        "2022-01-01", help="first candle (UTC date, inclusive), or now-<n>d on the market's clock"
    ),
    until: str = typer.Option(
        "2024-01-01", help="end (UTC date, exclusive), now, or now-<n>d on the market's clock"
    ),
    window: int = typer.Option(24, min=2, help="bars per window"),
    horizon: int = typer.Option(12, min=1, help="label horizon in bars"),
    flat_fraction: float = typer.Option(
        1 / 3,
        min=0.0,
        max=0.99,
        help="fixed labels: each symbol's flat band holds this share of its training labels "
        "(the evaluated protocol's); 0 uses --flat-bps for every symbol",
    ),
    flat_bps: float = typer.Option(
        20.0, min=0, help="flat band in basis points with --flat-fraction 0; triple-barrier band"
    ),
    label: str = typer.Option("fixed", help="fixed or triple_barrier"),
    hidden: int = typer.Option(32, min=1),
    layers: int = typer.Option(1, min=1),
    wide: bool = typer.Option(
        True, "--wide/--no-wide", help="linear path from the last row to the logits"
    ),
    epochs: int = typer.Option(8, min=1),
    patience: int = typer.Option(2, min=1),
    max_batches: int = typer.Option(0, min=0, help="training batches per epoch (0: all)"),
    max_windows: int = typer.Option(0, min=0, help="most recent windows used (0: all)"),
    calibrate: float = typer.Option(
        0.0,
        min=0.0,
        max=0.49,
        help="hold out this latest share of the training windows to fit a softmax temperature "
        "on (the model trains on the rest; never the holdout); 0: off",
    ),
    seed: int = typer.Option(0),
    seeds: str = typer.Option(
        "", help="comma-separated seeds: one member per family and seed (default: --seed)"
    ),
    name: str = typer.Option("", help="artifact name (default <model>-<timeframe>)"),
    if_missing: bool = typer.Option(False, help="do nothing when any artifact exists"),
    explainer: bool = typer.Option(
        True, "--explainer/--no-explainer", help="build the amortised SHAP explainer (fastshap)"
    ),
    explainer_windows: int = typer.Option(
        4096, min=8, help="explainer: training windows with Shapley targets"
    ),
    explainer_permutations: int = typer.Option(
        2, min=2, help="explainer: permutation orders per window (antithetic pairs)"
    ),
    explainer_epochs: int = typer.Option(400, min=1, help="explainer: training epochs"),
    explainer_background: int = typer.Option(16, min=1, help="explainer: background windows"),
    explainer_arch: str = typer.Option(
        "player", help="explainer net: player (shared per-player head), mlp or conv1d"
    ),
) -> None:
    """Train a model on real candles and write a versioned artifact into NTX_HOME/models/.

    The defaults (window 24, hidden 32, 1 layer, wide path, 12-bar horizon, each symbol's flat
    band holding a third of its training labels, <= 8 epochs with patience 2) are the design
    the walk-forward evaluation measured (docs/evaluation/), so ``ntx evaluate --artifact``
    can record its metrics into the artifact.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from model_engine.artifacts import list_artifacts, read_manifest

    if if_missing and list_artifacts(ntx_home()):
        print(f"a model exists in {ntx_home() / 'models'}: not training")
        return
    from model_engine.datasets import LabelSpec
    from model_engine.explain.build import ExplainerConfig
    from model_engine.training import TrainConfig
    from model_engine.training.pipeline import TrainRequest, train_artifact

    families = [f.strip() for f in model.split(",") if f.strip()]
    if not families or any(f not in ("lstm", "transformer") for f in families):
        raise typer.BadParameter(
            "lstm, transformer or both (lstm,transformer)", param_hint="--model"
        )
    if label not in ("fixed", "triple_barrier"):
        raise typer.BadParameter("fixed or triple_barrier", param_hint="--label")
    try:
        picked = [int(s) for s in seeds.split(",") if s.strip()] or [seed]
    except ValueError as exc:
        raise typer.BadParameter("whole numbers, e.g. 0,1,2", param_hint="--seeds") from exc
    if explainer_arch not in ("player", "mlp", "conv1d"):
        raise typer.BadParameter("player, mlp or conv1d", param_hint="--explainer-arch")
    config = TrainConfig(
        model=families[0],  # type: ignore[arg-type]  # checked above
        hidden=hidden,
        layers=layers,
        skip=wide,
        max_epochs=epochs,
        patience=patience,
        max_train_batches=max_batches or None,
        calibration_fraction=calibrate,
        seed=picked[0],
    )
    members = [
        config.model_copy(update={"model": family, "seed": s})
        for family in families
        for s in picked
    ]
    pairs = tuple(s.strip() for s in symbols.split(",") if s.strip())
    since_ms, until_ms, candles = _candles(pairs, timeframe, since, until)
    request = TrainRequest(
        symbols=pairs,
        timeframe=timeframe,
        since_ms=since_ms,
        until_ms=until_ms,
        candles=candles,
        home=ntx_home(),
        config=config,
        members=tuple(members) if len(members) > 1 else (),
        label=LabelSpec(horizon, flat_bps, label),  # type: ignore[arg-type]  # checked above
        flat_fraction=flat_fraction or None,
        window=window,
        max_windows=max_windows or None,
        name=name or None,
        explainer=ExplainerConfig(
            windows=explainer_windows,
            permutations=explainer_permutations,
            epochs=explainer_epochs,
            background=explainer_background,
            seed=seed,
            arch=explainer_arch,
        )
        if explainer
        else None,
    )
    logging.getLogger("model_engine").setLevel(logging.INFO)
    quiet_training_logs()
    try:
        path = train_artifact(request)
    except ValueError as exc:  # too few candles or windows for the range
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    print(f"wrote {path}")
    print(_holdout_line(read_manifest(path).metrics))


def models(
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """List the artifacts in NTX_HOME/models with their metrics and walk-forward gate verdict.

    Each row shows the holdout's accuracy against the majority class's and its log loss
    against the training class prior's (``prior_log_loss``): a model that does not beat the
    prior's log loss forecasts no better than the class shares it was trained on.

    The gate applies the ``MODEL_ENGINE__GATE__*`` thresholds to each manifest's
    ``walk_forward`` metrics, as model_engine does when it loads the artifact.
    """
    from model_engine.artifacts import list_artifacts
    from model_engine.evaluation.gate import may_trade_live
    from model_engine.settings import GateSettings

    thresholds = GateSettings().gate
    found = list_artifacts(ntx_home())
    gates = {a.path: may_trade_live(a.manifest.walk_forward, thresholds) for a in found}
    if as_json:
        rows = {
            f"{a.manifest.name}/{a.manifest.version}": {
                "family": a.manifest.model_family,
                "path": str(a.path),
                **_figures(a),
                "metrics": a.manifest.metrics,
                "explainer": _explainer(a),
                "live_eligible": gates[a.path].passed,
                "gate_reasons": list(gates[a.path].reasons),
            }
            for a in found
        }
        emit({"models": rows}, as_json=True, title="models")
        return
    table = Table(title=f"models in {ntx_home() / 'models'}")
    figures = ("accuracy", "majority", "log loss", "prior log loss")
    columns = ("name", "version", "family", "symbols", "created", *figures)
    for column in (*columns, "explainer", "gate"):
        table.add_column(column)
    for art in found:
        m = art.manifest
        table.add_row(
            m.name,
            m.version,
            m.model_family,
            ",".join(m.training.symbols),
            m.created_at,
            *(_cell(v) for v in _figures(art).values()),
            _explainer(art),
            _gate_text(gates[art.path]),
        )
    Console().print(table)
