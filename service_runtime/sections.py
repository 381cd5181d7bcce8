"""Settings sections every service has, and their translation into signal_bus settings.

A service's settings class (see `service_runtime.settings.ServiceSettings`) holds one of each;
the environment sets them as ``<SERVICE>__<SECTION>__<KEY>``.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from signal_bus import BusClientSettings, BusServerSettings, OverflowPolicy

Port = Annotated[int, Field(ge=0, le=65_535, description="TCP port; 0 picks a free one")]
BusUrl = Annotated[str, Field(pattern=r"^wss?://\S+$", description="a producer's bus /ws URL")]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["json", "text"]


class Section(BaseModel):
    """Base of every settings section: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class BusSection(Section):
    """The service's bus endpoint: `/ws`, `/healthz` and `/metrics` (websockets server)."""

    host: str = Field(default="127.0.0.1", description="interface the bus listens on")
    port: Port
    queue_size: int = Field(default=4_096, ge=1, description="frames queued per subscriber")
    overflow: OverflowPolicy = Field(
        default="drop_oldest", description="what a full subscriber queue does"
    )
    max_frame_bytes: int = Field(default=1_048_576, ge=1_024, description="largest frame")


class HttpSection(Section):
    """The service's HTTP API (FastAPI on uvicorn): `/healthz` and the service's routes."""

    host: str = Field(default="127.0.0.1", description="interface the HTTP API listens on")
    port: Port


class HeartbeatSection(Section):
    """How often the service publishes `Heartbeat` on `system.heartbeat`."""

    interval_secs: float = Field(default=5.0, gt=0, le=3_600, description="seconds between")


class LogSection(Section):
    """Log level and line format (JSON lines for machines, text for people)."""

    level: LogLevel = Field(default="INFO", description="lowest level written")
    format: LogFormat = Field(default="json", description="json lines or plain text")

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class UpstreamSection(Section):
    """Bus URLs this service subscribes to, one `<name>_url` field per upstream service."""

    SUFFIX: ClassVar[str] = "_url"

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        wrong = [name for name in cls.model_fields if not name.endswith(cls.SUFFIX)]
        if wrong:
            raise TypeError(f"{cls.__name__}: upstream fields must end in _url: {wrong}")

    def urls(self) -> dict[str, str]:
        """Return ``{upstream name: bus URL}`` (the field name without ``_url``)."""
        return {
            name.removesuffix(self.SUFFIX): getattr(self, name) for name in type(self).model_fields
        }


def bus_server_settings(
    section: BusSection, token: SecretStr, *, accept_topics: tuple[str, ...] = ()
) -> BusServerSettings:
    """Build the bus server's settings from `section`, accepting the service bus `token`.

    Parameters
    ----------
    section
        The service's ``bus`` section.
    token
        ``NTX_BUS_TOKEN``: the one token consumers present.
    accept_topics
        Command topics consumers may publish to this service.
    """
    return BusServerSettings(
        host=section.host,
        port=section.port,
        tokens=(token,),
        queue_size=section.queue_size,
        overflow=section.overflow,
        max_frame_bytes=section.max_frame_bytes,
        accept_topics=accept_topics,
    )


def upstream_client_settings(
    section: UpstreamSection, token: SecretStr, *, max_frame_bytes: int = 1_048_576
) -> dict[str, BusClientSettings]:
    """Build one bus client's settings per upstream named in `section`.

    Parameters
    ----------
    section
        The service's ``upstream`` section.
    token
        ``NTX_BUS_TOKEN``, presented to every upstream.
    max_frame_bytes
        Largest frame accepted from an upstream.
    """
    return {
        name: BusClientSettings(url=url, token=token, max_frame_bytes=max_frame_bytes)
        for name, url in section.urls().items()
    }
