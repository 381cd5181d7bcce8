"""Wire the supervisor and the gateway together for `ntx up` and `ntx gateway`."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping

from pydantic import SecretStr
from rich.console import Console

from neurotradex.gateway.server import build_gateway, serve_gateway
from neurotradex.gateway.settings import GatewaySettings
from neurotradex.supervisor.bus_token import BUS_TOKEN_ENV
from neurotradex.supervisor.logs import LogPrinter, PrinterHandler
from neurotradex.supervisor.settings import SupervisorSettings, service_specs
from neurotradex.supervisor.state import PlatformStatus, ServiceStatus, now
from neurotradex.supervisor.supervisor import Supervisor, child_env
from service_runtime import LogSection, configure_logging

GATEWAY = "gateway"


def _gateway_url(settings: GatewaySettings) -> str:
    host = settings.http.host
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - display only
    return f"http://{shown}:{settings.http.port}"


def _log_through(printer: LogPrinter, section: LogSection) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(PrinterHandler(printer, GATEWAY))
    logging.getLogger("neurotradex.gateway").setLevel(section.level)


def _secrets(settings: GatewaySettings) -> tuple[SecretStr, ...]:
    tokens = (settings.read_token, settings.operator_token, settings.bus_token)
    return tuple(token for token in tokens if token is not None)


async def launch_platform(
    settings: SupervisorSettings, env: Mapping[str, str], console: Console, stop: asyncio.Event
) -> int:
    """Run every service and the gateway until `stop`; return the exit code."""
    gateway_settings = GatewaySettings()
    app, token_file = build_gateway(gateway_settings)
    specs = service_specs(env)
    printer = LogPrinter(console, [spec.name for spec in specs] + [GATEWAY])
    _log_through(printer, gateway_settings.log)
    status = PlatformStatus(
        supervisor_pid=os.getpid(),
        started_at=now(),
        gateway_url=_gateway_url(gateway_settings),
        token_file=None if token_file is None else str(token_file),
        services={spec.name: ServiceStatus() for spec in specs},
    )
    if token_file is not None:
        printer.own(f"API tokens (read, operator) are in {token_file}")
    supervisor = Supervisor(settings, specs, child_env(env, env[BUS_TOKEN_ENV]), printer, status)

    async def run_gateway(gateway_stop: asyncio.Event) -> None:
        await serve_gateway(gateway_settings, stop=gateway_stop, app=app)

    return await supervisor.run(stop, run_gateway)


async def run_gateway_only(
    console: Console, stop: asyncio.Event, *, host: str | None, port: int | None
) -> None:
    """Serve API, relay and dashboard without services (what a container runs)."""
    settings = GatewaySettings()
    configure_logging(GATEWAY, settings.log, secrets=_secrets(settings))
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    if overrides:
        http = settings.http.model_copy(update=overrides)
        settings = settings.model_copy(update={"http": http})
    app, token_file = build_gateway(settings)
    console.print(f"gateway on {_gateway_url(settings)}")
    if token_file is not None:
        console.print(f"API tokens (read, operator) are in {token_file}")
    await serve_gateway(settings, stop=stop, app=app)
