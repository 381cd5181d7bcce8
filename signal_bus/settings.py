"""Bus settings: one frozen object each for the server and the client side.

Plain models, not env-reading settings: each service maps its own `<SERVICE>__BUS__*`
variables onto them, so nothing here reads the environment.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

OverflowPolicy = Literal["drop_oldest", "disconnect"]


class BusServerSettings(BaseModel):
    """How a producing service serves `/ws`, `/healthz` and `/metrics`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65_535, description="0 picks a free port")
    tokens: tuple[SecretStr, ...] = Field(
        min_length=1, description="bearer tokens a consumer may present"
    )
    max_frame_bytes: int = Field(default=1_048_576, ge=1_024)
    queue_size: int = Field(default=4_096, ge=1, description="frames queued per client")
    overflow: OverflowPolicy = "drop_oldest"
    accept_topics: tuple[str, ...] = Field(
        default=(), description="topics consumers may publish to this service (commands)"
    )
    ping_interval_secs: float | None = Field(default=20.0, gt=0)
    close_timeout_secs: float = Field(default=2.0, gt=0)
    handshake_timeout_secs: float = Field(
        default=10.0, gt=0, description="how long a connection may stay without a subscribe"
    )


class BusClientSettings(BaseModel):
    """How a consumer reaches a producer's `/ws` and how it backs off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(pattern=r"^wss?://")
    token: SecretStr
    max_frame_bytes: int = Field(default=1_048_576, ge=1_024)
    backoff_initial_secs: float = Field(default=0.1, gt=0)
    backoff_max_secs: float = Field(default=10.0, gt=0)
    backoff_factor: float = Field(default=2.0, ge=1.0)
    open_timeout_secs: float = Field(default=5.0, gt=0)
