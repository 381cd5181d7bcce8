"""`ntx demo`: the most complete product so far, on real market data."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from neurotradex.cli.market import candle_loader
from signal_schema import Bar

DEFAULT_SYMBOLS = "BTC/USDT,ETH/USDT,SOL/USDT,XRP/USDT,ADA/USDT,LTC/USDT,BNB/USDT"


def _table(latest: dict[str, Bar], count: int) -> Table:
    table = Table(title=f"real candles over the websocket bus ({count} received)")
    for column in ("symbol", "closed at (UTC)", "open", "high", "low", "close", "volume"):
        table.add_column(column, justify="right")
    for symbol, bar in sorted(latest.items()):
        colour = "green" if bar.close >= bar.open else "red"
        table.add_row(
            symbol,
            bar.ts_event.strftime("%Y-%m-%d %H:%M"),
            str(bar.open),
            str(bar.high),
            str(bar.low),
            f"[{colour}]{bar.close}[/]",
            str(bar.volume),
        )
    return table


def demo(
    symbols: str = typer.Option(DEFAULT_SYMBOLS, help="comma-separated pairs"),
    bars: int = typer.Option(336, min=1, help="most recent bars per pair (336 = two weeks of 1h)"),
    speed: float = typer.Option(100.0, min=1.0, help="bars per second"),
) -> None:
    """Replay the most recent real candles through the bus and show them live.

    The candles come through the one loader: NTX_DATA_DIR's recording when set, else the venue.
    """
    from neurotradex.demo.candles import recent_bars
    from neurotradex.demo.replay import replay

    pairs = [s.strip() for s in symbols.split(",") if s.strip()]
    with candle_loader() as loader:
        history = recent_bars(loader, pairs, "1h", bars)
    latest: dict[str, Bar] = {}
    seen = [0]
    console = Console()
    with Live(_table(latest, 0), console=console, refresh_per_second=8) as live:

        def on_bar(bar: Bar) -> None:
            latest[bar.symbol] = bar
            seen[0] += 1
            live.update(_table(latest, seen[0]))

        received = asyncio.run(replay(history, speed, on_bar))
    lost = len(history) - received
    console.print(
        f"{received} of {len(history)} bars arrived over the websocket bus ({lost} lost)."
    )
