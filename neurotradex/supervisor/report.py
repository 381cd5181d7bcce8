"""What `ntx status` shows: the supervisor's record plus a live health probe per service."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

from neurotradex.supervisor.health import probe
from neurotradex.supervisor.settings import service_specs
from neurotradex.supervisor.state import now, read_status, supervisor_alive


async def platform_report(home: Path) -> dict[str, Any]:
    """Return {"running", "gateway_url", "services": {name: {...}}} for NTX_HOME `home`."""
    status = read_status(home)
    if status is None or not supervisor_alive(status):
        return {"running": False, "gateway_url": None, "services": {}}
    urls = {spec.name: spec.health_url for spec in service_specs(os.environ)}
    services: dict[str, Any] = {}
    async with httpx.AsyncClient() as http:
        for name, entry in status.services.items():
            running = entry.pid is not None and entry.started_at is not None
            uptime = (
                (now() - entry.started_at).total_seconds() if running and entry.started_at else None
            )
            services[name] = {
                "state": entry.state,
                "healthy": name in urls and await probe(http, urls[name]),
                "pid": entry.pid,
                "uptime_secs": uptime,
                "restarts": entry.restarts,
                "last_exit_code": entry.last_exit_code,
            }
    return {
        "running": True,
        "supervisor_pid": status.supervisor_pid,
        "gateway_url": status.gateway_url,
        "token_file": status.token_file,
        "services": services,
    }
