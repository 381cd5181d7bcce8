"""Supervisor settings and where each service listens (read from the services' own env names)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SupervisorSettings(BaseSettings):
    """How `ntx up` restarts and stops services (`SUPERVISOR__<KEY>`)."""

    model_config = SettingsConfigDict(
        env_prefix="SUPERVISOR__", frozen=True, extra="ignore", env_ignore_empty=True
    )

    health_timeout_secs: float = Field(default=60.0, gt=0)
    restart_initial_secs: float = Field(default=0.5, gt=0)
    restart_max_secs: float = Field(default=30.0, gt=0)
    max_restarts: int = Field(default=5, ge=0, description="crashes tolerated per window")
    restart_window_secs: float = Field(default=300.0, gt=0)
    stop_timeout_secs: float = Field(default=10.0, gt=0)
    home: Path = Field(default=Path("~/.neurotradex"), validation_alias="NTX_HOME")

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """One supervised service: how to start it and where its health check answers."""

    name: str
    module: str
    health_url: str


# Dependency order: each service starts after those it subscribes to.
_DEFAULTS: tuple[tuple[str, int], ...] = (
    ("data_core", 8701),
    ("model_engine", 8702),
    ("exec_core", 8703),
    ("alert_system", 8704),
)


def service_specs(env: Mapping[str, str]) -> tuple[ServiceSpec, ...]:
    """Return the four services in start order, health URLs from their own env settings."""
    specs = []
    for name, bus_port in _DEFAULTS:
        prefix = f"{name.upper()}__BUS__"
        host = env.get(f"{prefix}HOST", "127.0.0.1")
        host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - probe address
        port = int(env.get(f"{prefix}PORT", bus_port))
        specs.append(ServiceSpec(name, name, f"http://{host}:{port}/healthz"))
    return tuple(specs)
