"""Root of the `ntx` command: one sub-command group per concern."""

from __future__ import annotations

import logging

import typer

from neurotradex import __version__
from neurotradex.cli.backtest import backtest
from neurotradex.cli.bench import bench_app
from neurotradex.cli.data import app as data_app
from neurotradex.cli.demo import demo
from neurotradex.cli.evaluate import evaluate
from neurotradex.cli.exec import approve, kill
from neurotradex.cli.explain import explain_app
from neurotradex.cli.ledger import live_app, pnl_command, positions
from neurotradex.cli.models import models, train
from neurotradex.cli.platform import down, gateway, status, up

app = typer.Typer(
    name="ntx",
    help="NeuroTradeX: explainable deep-learning trading signals.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(bench_app, name="bench")
app.add_typer(data_app, name="data")
app.add_typer(explain_app, name="explain")
app.command()(demo)
app.command()(train)
app.command()(models)
app.command()(positions)
app.command("pnl")(pnl_command)
app.add_typer(live_app, name="live")
app.command()(evaluate)
for command in (up, down, status, gateway, kill, approve, backtest):
    app.command()(command)


@app.command()
def version() -> None:
    """Print the installed version."""
    print(__version__)


def main() -> None:
    """Entry point of the `ntx` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
