"""``ntx positions``, ``ntx pnl`` and ``ntx live arm|disarm``: the exec_core ledger and arming."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from exec_core.brokers import arm, confirmation_phrase, disarm
from exec_core.errors import OperationalError
from exec_core.ledger import Ledger, pnl
from neurotradex.cli.output import emit

live_app = typer.Typer(help="Arm or disarm real-money trading.", no_args_is_help=True)


def _home() -> Path:
    return Path(os.environ.get("NTX_HOME", "~/.neurotradex")).expanduser()


def _ledger_url(url: str | None) -> str:
    chosen = url or os.environ.get("EXEC_CORE__LEDGER__URL", "")
    return chosen or f"sqlite:///{_home() / 'exec_core' / 'ledger.sqlite'}"


UrlOption = Annotated[str | None, typer.Option("--url", help="Ledger database URL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object on the last line.")]


def positions(url: UrlOption = None, as_json: JsonOption = False) -> None:
    """Show the open positions of the exec_core ledger."""
    ledger = Ledger.open(_ledger_url(url))
    rows = {
        f"{p.venue}:{p.symbol}": {
            "quantity": format(p.state.quantity, "f"),
            "avg_entry_price": format(p.state.avg_entry_price, "f"),
            "realized_pnl": format(p.state.realized_pnl, "f"),
        }
        for p in ledger.positions()
    }
    ledger.close()
    emit({"positions": rows} if as_json else rows or {"positions": "none"},
         as_json=as_json, title="Positions")  # fmt: skip


def pnl_command(url: UrlOption = None, as_json: JsonOption = False) -> None:
    """Show realised PnL, fees, cash and equity (open positions at cost)."""
    ledger = Ledger.open(_ledger_url(url))
    summary = pnl(ledger)
    ledger.close()
    emit(summary.as_dict(), as_json=as_json, title="PnL")


@live_app.command("arm")
def arm_command(
    venue: Annotated[str, typer.Option(help="ccxt exchange id")] = "binance",
    confirm: Annotated[str | None, typer.Option(help="The confirmation phrase")] = None,
) -> None:
    """Arm real-money trading on VENUE: keys must be set; type the confirmation phrase."""
    phrase = confirmation_phrase(venue)
    typed = confirm if confirm is not None else typer.prompt(f"Type {phrase!r} to arm")
    try:
        path = arm(_home(), venue, api_key=os.environ.get("EXEC_CORE__LIVE__API_KEY", ""),
                   api_secret=os.environ.get("EXEC_CORE__LIVE__API_SECRET", ""),
                   confirmation=typed)  # fmt: skip
    except OperationalError as error:
        typer.echo(f"not armed: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"armed {venue} for real money ({path})")


@live_app.command("disarm")
def disarm_command(
    venue: Annotated[str, typer.Option(help="ccxt exchange id")] = "binance",
) -> None:
    """Remove the arming record of VENUE."""
    typer.echo("disarmed" if disarm(_home(), venue) else "was not armed")


__all__ = ["arm_command", "live_app", "pnl_command", "positions"]
