"""`ntx up`, `ntx down`, `ntx status`, `ntx gateway`: run and inspect the platform."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import typer
from rich.console import Console
from rich.table import Table

from neurotradex.cli.output import emit
from neurotradex.supervisor.bus_token import BUS_TOKEN_ENV, bus_token
from neurotradex.supervisor.settings import SupervisorSettings
from neurotradex.supervisor.state import read_status, supervisor_alive

console = Console()


def _install_stop(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def up() -> None:
    """Start every service supervised, with the gateway; Ctrl-C or `ntx down` stops all."""
    from neurotradex.supervisor.launch import launch_platform

    settings = SupervisorSettings()
    previous = read_status(settings.home)
    if previous is not None and supervisor_alive(previous):
        console.print(f"[red]already running[/] (pid {previous.supervisor_pid}); `ntx down` first")
        raise typer.Exit(1)
    os.environ[BUS_TOKEN_ENV] = bus_token(os.environ, settings.home)

    async def main() -> int:
        stop = asyncio.Event()
        _install_stop(stop)
        return await launch_platform(settings, os.environ, console, stop)

    raise typer.Exit(asyncio.run(main()))


def down(
    timeout_secs: float = typer.Option(60.0, help="how long to wait for a clean stop"),
) -> None:
    """Stop the platform that `ntx up` started (same NTX_HOME)."""
    status = read_status(SupervisorSettings().home)
    if status is None or not supervisor_alive(status):
        console.print("not running")
        return
    os.kill(status.supervisor_pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_secs
    while supervisor_alive(status):
        if time.monotonic() > deadline:
            console.print(f"[red]pid {status.supervisor_pid} still running after {timeout_secs}s")
            raise typer.Exit(1)
        time.sleep(0.1)
    console.print("stopped")


def status(
    as_json: bool = typer.Option(False, "--json", help="one JSON object on the last line"),
) -> None:
    """Show each service's state, health, uptime and restarts."""
    from neurotradex.supervisor.report import platform_report

    report = asyncio.run(platform_report(SupervisorSettings().home))
    if as_json:
        emit(report, as_json=True, title="status")
        return
    if not report["running"]:
        console.print("not running (start it with `ntx up`)")
        return
    table = Table(title=f"NeuroTradeX — gateway {report['gateway_url']}")
    for column in ("service", "state", "healthy", "pid", "uptime", "restarts"):
        table.add_column(column)
    for name, row in report["services"].items():
        healthy = "[green]yes[/]" if row["healthy"] else "[red]no[/]"
        uptime = f"{row['uptime_secs']:.0f}s" if row["uptime_secs"] is not None else "-"
        table.add_row(
            name, row["state"], healthy, str(row["pid"] or "-"), uptime, str(row["restarts"])
        )
    console.print(table)


def gateway(
    host: str | None = typer.Option(None, help="listen address (default GATEWAY__HTTP__HOST)"),
    port: int | None = typer.Option(None, help="listen port (default GATEWAY__HTTP__PORT)"),
) -> None:
    """Serve the API, relay and dashboard without supervising services (for containers).

    Exits 2 on an operational error (port in use, unreadable token file), as services do.
    """
    from neurotradex.supervisor.launch import run_gateway_only
    from service_runtime import EXIT_OPERATIONAL, OperationalError

    async def main() -> None:
        stop = asyncio.Event()
        _install_stop(stop)
        await run_gateway_only(console, stop, host=host, port=port)

    try:
        asyncio.run(main())
    except OperationalError as exc:
        console.print(f"[red]gateway cannot run:[/] {exc}")
        raise typer.Exit(EXIT_OPERATIONAL) from None
