"""`ntx evaluate`: the walk-forward out-of-sample evaluation of DL models against baselines."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from neurotradex.cli.market import candle_loader
from neurotradex.cli.output import emit, quiet_training_logs

if TYPE_CHECKING:
    from model_engine.evaluation.config import ProtocolConfig
    from model_engine.evaluation.data import Dataset


def _split(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _jsonable(result: dict[str, Any]) -> dict[str, Any]:
    from model_engine.evaluation.report import iso

    out = dict(result)
    out["oos_start"], out["oos_end"] = iso(result["oos_start"]), iso(result["oos_end"])
    return out


def _protocol(
    quick: bool, dev: bool, models: str, no_news: bool, overrides: list[str]
) -> ProtocolConfig:
    from model_engine.evaluation.config import (
        ProtocolConfig,
        dev_config,
        quick_config,
        with_overrides,
    )

    config = quick_config() if quick else ProtocolConfig()
    if models:
        config = config.model_copy(update={"models": tuple(_split([models]))})
    if no_news:
        config = config.model_copy(update={"news": False})
    if dev:
        config = dev_config(config)
    try:
        return with_overrides(config, overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from exc


def _load(
    symbols: list[str], timeframe: str, horizon: str, config: ProtocolConfig
) -> dict[str, Dataset]:
    """Return each symbol's dataset over its whole history (through the one candle loader)."""
    from market_store.loader import MarketDataError
    from model_engine.evaluation.data import make_dataset

    hint = (
        f" (the protocol trains on {', '.join(config.pool)}; --set 'pool=[]' trains each "
        "symbol alone)"
        if config.pool
        else ""
    )
    with candle_loader() as loader:
        try:
            candles = loader.load_all(symbols, timeframe)
        except MarketDataError as exc:
            raise typer.BadParameter(f"{exc}{hint}", param_hint="--symbols") from None
    empty = [symbol for symbol, bars in candles.items() if len(bars) == 0]
    if empty:
        raise typer.BadParameter(f"no {empty[0]} {timeframe} candles{hint}", param_hint="--symbols")
    try:
        return {s: make_dataset(s, c, timeframe, horizon, config.news) for s, c in candles.items()}
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _check_artifact(
    artifact: Path, dev: bool, timeframe: str, horizon: str, config: ProtocolConfig
) -> None:
    from model_engine.artifacts import ArtifactError
    from model_engine.evaluation.record import check_artifact_matches

    if dev:
        raise typer.BadParameter(
            "the dev fold's metrics never go into an artifact (the live gate reads them)",
            param_hint="--artifact",
        )
    try:
        check_artifact_matches(artifact, timeframe, horizon, config)
    except (ValueError, OSError, ArtifactError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--artifact") from exc


def evaluate(
    symbols: Annotated[
        list[str] | None, typer.Option(help="symbols, repeated or comma-separated")
    ] = None,
    timeframe: str = typer.Option("1h", help="bar length of the candle files"),
    horizon: str = typer.Option(
        "12h", help="label horizon, a whole number of bars (the protocol's default: 12h)"
    ),
    models: str = typer.Option("", help="comma-separated subset of models (default: all)"),
    quick: bool = typer.Option(False, "--quick", help="tiny models, one fold (tests only)"),
    dev: bool = typer.Option(
        False, "--dev", help="development fold (train 2018-2019, test 2020) for design choices"
    ),
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="protocol override key=value, repeatable (dl.window=72)"),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Markdown report path (default NTX_HOME/reports/, --dev: reports/dev/)"),
    ] = None,
    no_news: bool = typer.Option(False, "--no-news", help="leave the recorded-news features out"),
    artifact: Annotated[
        Path | None,
        typer.Option(help="artifact folder whose manifest gets these OOS metrics (walk_forward)"),
    ] = None,
    artifact_model: str = typer.Option(
        "", help="which evaluated model's metrics go to --artifact (default: its family)"
    ),
    verbose: bool = typer.Option(False, "--verbose", help="log each fit's duration"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Walk-forward evaluation: rolling 2-year training, yearly retrain, OOS from 2021-01-01."""
    from market_store.paths import ntx_home
    from market_store.timeframes import timeframe_ms
    from model_engine.evaluation.config import DL_MODELS
    from model_engine.evaluation.protocol import evaluate_series
    from model_engine.evaluation.report import render

    if verbose:
        logging.getLogger("model_engine").setLevel(logging.INFO)
    config = _protocol(quick, dev, models, no_news, overrides or [])
    if set(config.models) & set(DL_MODELS):
        quiet_training_logs()
    if artifact is not None:
        _check_artifact(artifact, dev, timeframe, horizon, config)
    names = list(dict.fromkeys(_split(symbols or ["BTC/USDT"])))
    loaded = _load(list(dict.fromkeys([*names, *config.pool])), timeframe, horizon, config)
    datasets = {s: loaded[s] for s in names}
    pool = {s: loaded[s] for s in config.pool}
    results: dict[str, dict[str, Any]] = {}
    for symbol, data in datasets.items():
        peers = [other for name, other in pool.items() if name != symbol]
        results[symbol] = evaluate_series(data, timeframe_ms(timeframe), config, peers)
    command = "ntx " + " ".join(sys.argv[1:])
    slug = "-".join(s.replace("/", "_") for s in results) + f"-{timeframe}-h{horizon}"
    folder = ntx_home() / "reports" / ("dev" if dev else "")
    path = report or folder / f"{slug}{'-quick' if quick else ''}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results, config, command, timeframe, horizon) + "\n")
    first = _jsonable(next(iter(results.values())))
    summary: dict[str, Any] = {**first, "report": str(path)}
    if len(results) > 1:
        summary["by_symbol"] = {s: _jsonable(r) for s, r in results.items()}
    if artifact is not None:
        from model_engine.evaluation.record import record_walk_forward

        summary["artifact"] = str(
            record_walk_forward(
                artifact, results, config, command, timeframe, horizon, artifact_model
            )
        )
    if as_json:
        emit(summary, as_json=True, title="walk-forward evaluation")
        return
    for symbol, result in results.items():
        print(f"{symbol}: {orjson.dumps(result['models']).decode()}")
    print(f"report: {path}")
