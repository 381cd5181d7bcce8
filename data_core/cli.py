"""`ntx data ...`: import, list, download and export the candles of the local store.

``--json`` prints one JSON object on the last line of standard output; progress goes to
standard error.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import time
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, cast

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from market_store.candles import MarketKey

if TYPE_CHECKING:  # the store loads numpy; `ntx --help` should not wait for it
    from market_store.store import CandleStore

app = typer.Typer(name="data", help="Import, list, download and export candles.")

DB_HELP = "candle database (default: $NTX_HOME/data/candles.sqlite)"
JSON_HELP = "print one JSON object on the last line"
SHOWN_REJECTS = 20


class Download(Protocol):
    """The backfill entry point, ``market_store.venues.download.download``."""

    def __call__(
        self,
        store: CandleStore,
        exchange: str,
        symbols: list[str],
        timeframe: str,
        since_ms: int,
        until_ms: int,
        *,
        rest_url: str | None,
        on_progress: Callable[[Any], None] | None,
    ) -> Coroutine[Any, Any, list[Any]]: ...


def _open_store(db: Path | None) -> CandleStore:
    from market_store.store import CandleStore, default_db_path

    home = Path(os.environ.get("NTX_HOME") or "~/.neurotradex")
    return CandleStore(db.expanduser() if db is not None else default_db_path(home))


def _emit_json(result: Mapping[str, Any]) -> None:
    typer.echo(orjson.dumps(dict(result), default=str).decode())


def parse_time_ms(text: str) -> int:
    """Return epoch ms for ``1704067200000``, ``2024-01-01`` or ``2024-01-01T12:00Z`` (UTC)."""
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"not a time: {text!r} (epoch ms or ISO-8601)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _minutes(iso: str) -> str:
    """Return ``2018-01-01 00:00`` for ``2018-01-01T00:00:00Z``."""
    return iso[:16].replace("T", " ")


def _matches(
    key: MarketKey, venue: str | None, symbols: list[str] | None, timeframe: str | None
) -> bool:
    return (
        (venue is None or key.venue == venue)
        and (not symbols or key.symbol in symbols)
        and (timeframe is None or key.timeframe == timeframe)
    )


def _explain_import(
    err: Console, rejects: list[Any], failures: list[str], summary: Mapping[str, Any]
) -> None:
    for reject in rejects[:SHOWN_REJECTS]:
        err.print(f"[yellow]skipped[/] {escape(str(reject))}", highlight=False)
    if summary["rejected"] > SHOWN_REJECTS:
        err.print(f"... and {summary['rejected'] - SHOWN_REJECTS} more (--json lists them)")
    for failure in failures:
        err.print(f"[red]failed[/] {escape(failure)}", highlight=False)
    keys = ("files", "failed_files", "rows", "written", "unchanged", "rejected")
    Console().print(", ".join(f"{key}: {summary[key]}" for key in keys), highlight=False)


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(exists=True, help="a .csv.gz file or a folder of them")],
    db: Annotated[Path | None, typer.Option(help=DB_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Import candle files (ohlcv/<venue>/<BASE>_<QUOTE>-<tf>.csv.gz); re-importing is safe."""
    from market_store.store import import_path
    from market_store.store.importer import candle_files
    from market_store.store.summary import import_summary

    files, _ = candle_files(path)
    total = sum(f.stat().st_size for f in files if f.is_file())
    err = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with _open_store(db) as store, Progress(*columns, TimeRemainingColumn(), console=err) as bar:
        task = bar.add_task("importing", total=total)
        done: dict[Path, int] = {}

        def on_progress(file: Path, read: int) -> None:
            done[file] = read
            bar.update(task, completed=sum(done.values()), description=file.name)

        report = import_path(store, path, progress=on_progress)
    summary = import_summary(report)
    if as_json:
        _emit_json(summary)
    else:
        _explain_import(err, report.rejects, [f.error or "" for f in report.failed], summary)
        if not report.files:
            err.print(f"no candle files (<BASE>_<QUOTE>-<tf>.csv.gz) at {path}", highlight=False)
    if report.failed or not report.files:
        raise typer.Exit(1)


@app.command("list")
def list_command(
    db: Annotated[Path | None, typer.Option(help=DB_HELP)] = None,
    venue: Annotated[str | None, typer.Option(help="only this venue")] = None,
    symbol: Annotated[list[str] | None, typer.Option(help="only this symbol (repeatable)")] = None,
    timeframe: Annotated[str | None, typer.Option(help="only this timeframe")] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="list every gap in the table")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Show what the store holds per venue, symbol and timeframe, with its gaps."""
    from market_store.store.summary import coverage_summary

    with _open_store(db) as store:
        markets = [
            coverage_summary(cov, store.gaps(cov.key))
            for cov in store.coverage()
            if _matches(cov.key, venue, symbol, timeframe)
        ]
    if as_json:
        _emit_json({"db": str(store.path), "markets": markets})
        return
    table = Table(title=f"candles in {store.path}")
    for name in ("venue", "symbol", "tf", "first open", "last open", "rows", "gaps", "missing"):
        table.add_column(name, justify="right")
    for m in markets:
        first, last = _minutes(m["first_open"]), _minutes(m["last_open"])
        table.add_row(m["venue"], m["symbol"], m["timeframe"], first, last, str(m["rows"]),
                      str(m["gaps"]), str(m["missing"]))  # fmt: skip
        for gap in m["gap_list"] if gaps else ():
            first, last = _minutes(gap["first_missing_open"]), _minutes(gap["last_missing_open"])
            table.add_row("", "", "", first, last, "", "gap", str(gap["missing"]))
    Console().print(table)


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Argument(help="data folder to write ohlcv/<venue>/... into")],
    db: Annotated[Path | None, typer.Option(help=DB_HELP)] = None,
    venue: Annotated[str | None, typer.Option(help="only this venue")] = None,
    symbol: Annotated[list[str] | None, typer.Option(help="only this symbol (repeatable)")] = None,
    timeframe: Annotated[str | None, typer.Option(help="only this timeframe")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Write stored series back as shared-format candle files (e.g. to rebuild NTX_DATA_DIR)."""
    from market_store.store import export_path

    with _open_store(db) as store:
        keys = [c.key for c in store.coverage() if _matches(c.key, venue, symbol, timeframe)]
        try:
            written = export_path(store, out, keys)
        except ValueError as exc:
            typer.echo(f"export failed: {exc}", err=True)
            raise typer.Exit(1) from None
    files = [{"path": str(path), "rows": rows} for path, rows in written]
    if as_json:
        _emit_json({"files": files})
    else:
        for file in files:
            Console().print(f"{file['path']}: {file['rows']} rows", highlight=False)
    if not files:
        typer.echo("nothing stored matches", err=True)
        raise typer.Exit(1)


def _download_function() -> Download:
    """Import the venues' backfill only when asked: it loads ccxt, which takes a second."""
    try:
        module = importlib.import_module("market_store.venues.download")
    except ModuleNotFoundError as exc:
        typer.echo(f"downloading is not available in this build: {exc}", err=True)
        raise typer.Exit(2) from None
    return cast(Download, module.download)


@app.command("download")
def download_command(
    since: Annotated[str, typer.Option(help="first candle open (epoch ms or ISO-8601, UTC)")],
    exchange: Annotated[str, typer.Option(help="binance, bybit, okx or a ccxt id")] = "binance",
    symbols: Annotated[str, typer.Option(help="comma-separated pairs")] = "BTC/USDT",
    timeframe: Annotated[str, typer.Option(help="candle timeframe")] = "1h",
    until: Annotated[str | None, typer.Option(help="end, exclusive (default: now)")] = None,
    rest_url: Annotated[str | None, typer.Option(help="the venue's REST base URL")] = None,
    db: Annotated[Path | None, typer.Option(help=DB_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Backfill candles from a venue into the store, resuming from what it holds."""
    download = _download_function()
    pairs = [s.strip() for s in symbols.split(",") if s.strip()]
    since_ms = parse_time_ms(since)
    until_ms = int(time.time() * 1000) if until is None else parse_time_ms(until)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
    with _open_store(db) as store, Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(f"{exchange} {timeframe}", total=max(1, until_ms - since_ms))

        def on_progress(report: Any) -> None:
            reached = getattr(report, "last_open_ms", None) or since_ms
            bar.update(task, completed=reached - since_ms, description=str(report.key))

        reports = asyncio.run(
            download(
                store, exchange, pairs, timeframe, since_ms, until_ms,
                rest_url=rest_url, on_progress=on_progress,
            )
        )  # fmt: skip
    if as_json:
        _emit_json({"reports": reports})
    else:
        for report in reports:
            Console().print(str(report), highlight=False)
    if any(getattr(report, "error", None) for report in reports):
        raise typer.Exit(1)
