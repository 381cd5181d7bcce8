"""`ntx backtest`: the real services in-process over [since, until) on a simulated clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from market_store.paths import ntx_home
from market_store.times import parse_time_ms
from neurotradex.cli.output import emit


def _ms(day: str, option: str) -> int:
    try:
        return parse_time_ms(day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def backtest(
    symbols: str = typer.Option("BTC/USDT,ETH/USDT", help="comma-separated pairs"),
    timeframe: str = typer.Option("1h", help="candle timeframe"),
    since: str = typer.Option(..., help="first bar opens here (UTC date, inclusive)"),
    until: str = typer.Option(..., help="no bar opens here or later (UTC date, exclusive)"),
    model: str = typer.Option("", help="artifact in NTX_HOME/models (default: train one)"),
    home: str = typer.Option("", help="the run's folder (default NTX_HOME/backtests/<id>)"),
    train_days: int = typer.Option(180, min=7, help="days before --since to train on"),
    min_confidence: float | None = typer.Option(None, help="override the validation minimum"),
    start_cash: str | None = typer.Option(None, help="override the paper start cash"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Replay [since, until) through data_core, model_engine and exec_core; report the result."""
    from market_store.source import MarketSource
    from neurotradex.backtest import BacktestConfig, BacktestError, run_backtest

    home_dir = ntx_home()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    try:
        config = BacktestConfig(
            symbols=tuple(s.strip() for s in symbols.split(",") if s.strip()),
            timeframe=timeframe,
            since_ms=_ms(since, "--since"),
            until_ms=_ms(until, "--until"),
            home=home_dir,
            out=Path(home).expanduser() if home else home_dir / "backtests" / run_id,
            market=MarketSource.from_env(),
            model=model or None,
            train_days=train_days,
            min_confidence=min_confidence,
            start_cash=start_cash,
        )
        report = run_backtest(config).report
    except BacktestError as exc:
        typer.echo(f"backtest failed: {exc}", err=True)
        raise typer.Exit(1) from None
    emit(report, as_json=as_json, title=f"backtest in {report['out']}")
