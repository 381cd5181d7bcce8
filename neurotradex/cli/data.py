"""`ntx data ...`: import, list, download and export the candles of the local store.

``--json`` prints one JSON object on the last line of standard output; progress goes to
standard error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from market_store import times
from market_store.candles import MarketKey
from market_store.paths import candle_db_path, ntx_home
from market_store.source import REST_URL_ENV, VENUE_ENV, MarketSource, offline_hint, region_hint

if TYPE_CHECKING:  # the store loads numpy; `ntx --help` should not wait for it
    from market_store.store import CandleStore

app = typer.Typer(name="data", help="Import, list, download and export candles.")

DB_HELP = "candle database (default: $NTX_HOME/data/candles.sqlite)"
JSON_HELP = "print one JSON object on the last line"
SHOWN_REJECTS = 20


def _open_store(db: Path | None) -> CandleStore:
    from market_store.store import CandleStore

    return CandleStore(db.expanduser() if db is not None else candle_db_path(ntx_home()))


def _emit_json(result: Mapping[str, Any]) -> None:
    typer.echo(orjson.dumps(dict(result), default=str).decode())


def parse_time_ms(text: str) -> int:
    """Return epoch ms for ``1704067200000``, ``2024-01-01`` or ``2024-01-01T12:00Z`` (UTC)."""
    try:
        return times.parse_time_ms(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


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


@app.command("download")
def download_command(
    since: Annotated[str, typer.Option(help="first candle open (epoch ms or ISO-8601, UTC)")],
    exchange: Annotated[
        str | None, typer.Option(help=f"binance, bybit, okx or a ccxt id (default ${VENUE_ENV})")
    ] = None,
    symbols: Annotated[str, typer.Option(help="comma-separated pairs")] = "BTC/USDT",
    timeframe: Annotated[str, typer.Option(help="candle timeframe")] = "1h",
    until: Annotated[
        str | None, typer.Option(help="end, exclusive (default: the venue's now, its clock)")
    ] = None,
    rest_url: Annotated[
        str | None, typer.Option(help=f"the venue's REST base URL (default ${REST_URL_ENV})")
    ] = None,
    db: Annotated[Path | None, typer.Option(help=DB_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Backfill candles from a venue into the store, resuming from what it holds."""
    from market_store.download import download
    from market_store.progress import DownloadProgress
    from market_store.venues.base import VenueError

    source = MarketSource.from_env()
    venue, url = exchange or source.venue, rest_url or source.rest_url
    pairs = [s.strip() for s in symbols.split(",") if s.strip()]
    since_ms, until_ms = parse_time_ms(since), None if until is None else parse_time_ms(until)
    with _open_store(db) as store, DownloadProgress() as bars:
        try:
            fetching = download(
                store, venue, pairs, timeframe, since_ms, until_ms, rest_url=url, on_progress=bars
            )
            reports = asyncio.run(fetching)
        except (VenueError, ValueError) as exc:
            typer.echo(f"download failed: {exc}. {_hint(exc, venue)}", err=True)
            raise typer.Exit(1) from None
    if as_json:
        _emit_json({"reports": reports})
    else:
        for report in reports:
            Console().print(str(report), highlight=False)
    if any(report.error for report in reports):
        raise typer.Exit(1)


def _hint(error: Exception, venue: str) -> str:
    from market_store.venues.base import RegionRefusedError, VenueUnavailableError

    if isinstance(error, RegionRefusedError):
        return region_hint(venue)
    return offline_hint() if isinstance(error, VenueUnavailableError) else ""
