"""What `ntx up` writes under NTX_HOME/run so `ntx status` and `ntx down` can find it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

ServiceState = Literal["starting", "healthy", "restarting", "failed", "stopped"]


class ServiceStatus(BaseModel):
    """One supervised service as the supervisor last saw it."""

    model_config = ConfigDict(extra="forbid")
    state: ServiceState = "starting"
    pid: int | None = None
    restarts: int = 0
    started_at: datetime | None = None
    last_exit_code: int | None = None


class PlatformStatus(BaseModel):
    """The whole platform: supervisor pid, gateway URL and every service."""

    model_config = ConfigDict(extra="forbid")
    supervisor_pid: int
    started_at: datetime
    gateway_url: str
    token_file: str | None = None
    services: dict[str, ServiceStatus]


def run_dir(home: Path) -> Path:
    """Folder of the runtime files of `ntx up`."""
    return home / "run"


def status_path(home: Path) -> Path:
    """The status file `ntx status` reads."""
    return run_dir(home) / "status.json"


def write_status(home: Path, status: PlatformStatus) -> None:
    """Replace the status file atomically."""
    path = status_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(status.model_dump_json(indent=2), encoding="utf-8")
    os.replace(tmp, path)


def read_status(home: Path) -> PlatformStatus | None:
    """Return the last written status, or None when `ntx up` never ran here."""
    path = status_path(home)
    if not path.exists():
        return None
    return PlatformStatus.model_validate_json(path.read_text(encoding="utf-8"))


def supervisor_alive(status: PlatformStatus) -> bool:
    """Tell whether the supervisor that wrote `status` still runs."""
    try:
        os.kill(status.supervisor_pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def now() -> datetime:
    """The current UTC time."""
    return datetime.now(UTC)
