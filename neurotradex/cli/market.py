"""How commands get candles: the one loader, saying what it does on standard error."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from market_store.loader import CandleLoader


def say(message: str) -> None:
    """Tell the user, on standard error, what is being done with market data."""
    err = Console(stderr=True, soft_wrap=True)
    err.print(f"[dim]market data:[/] {escape(message)}", highlight=False)


@contextmanager
def candle_loader() -> Iterator[CandleLoader]:
    """Yield NTX_HOME's loader; a market-data failure ends the command with its one-line reason.

    Raises
    ------
    typer.Exit
        Code 1, after printing why the candles cannot be had and what to do.
    """
    from market_store.loader import CandleLoader, MarketDataError

    # The loader reports what it does and why it failed; each retry's record would repeat it.
    venues = logging.getLogger("market_store.venues")
    level = venues.level
    venues.setLevel(logging.CRITICAL)
    try:
        with CandleLoader.open(say=say) as loader:
            yield loader
    except MarketDataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        venues.setLevel(level)


def market_now(loader: CandleLoader, symbols: Sequence[str], timeframe: str, *times: str) -> int:
    """Return the market's now when one of `times` is relative to it (``now-30d``), else 0."""
    from market_store.times import is_relative

    return loader.now_ms(symbols, timeframe) if any(is_relative(t) for t in times) else 0


def time_ms(text: str, now_ms: int, option: str) -> int:
    """Return a typed time in epoch ms, `now_ms` being the market's now (see `market_now`)."""
    from market_store.times import is_relative, parse_time_ms

    try:
        return parse_time_ms(text, now_ms=now_ms if is_relative(text) else None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None
