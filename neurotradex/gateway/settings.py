"""Gateway settings: one frozen object, read from `GATEWAY__<SECTION>__<KEY>` and `NTX_*`.

The ``http`` and ``log`` sections are service_runtime's, as in every service; ``upstream``,
``relay`` and ``limits`` are the gateway's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service_runtime.sections import BusUrl, HttpSection, LogSection, Section
from signal_bus import OverflowPolicy
from signal_bus.topics import validate_patterns

ServiceName = Literal["data_core", "model_engine", "exec_core", "alert_system"]
SERVICES: tuple[ServiceName, ...] = ("data_core", "model_engine", "exec_core", "alert_system")

_HTTP_URL = r"^https?://"
GATEWAY_PORT = 8700


class Upstream(NamedTuple):
    """Where one service answers: its HTTP API base URL and its bus `/ws` URL."""

    http_url: str
    bus_url: str


class UpstreamSettings(Section):
    """The services behind the gateway and how long they may take to answer.

    `GATEWAY__UPSTREAM__<NAME>_URL` is a service's bus, `<NAME>_HTTP_URL` its HTTP API.
    """

    data_core_url: BusUrl = "ws://127.0.0.1:8701/ws"
    data_core_http_url: str = Field(default="http://127.0.0.1:8711", pattern=_HTTP_URL)
    model_engine_url: BusUrl = "ws://127.0.0.1:8702/ws"
    model_engine_http_url: str = Field(default="http://127.0.0.1:8712", pattern=_HTTP_URL)
    exec_core_url: BusUrl = "ws://127.0.0.1:8703/ws"
    exec_core_http_url: str = Field(default="http://127.0.0.1:8713", pattern=_HTTP_URL)
    alert_system_url: BusUrl = "ws://127.0.0.1:8704/ws"
    alert_system_http_url: str = Field(default="http://127.0.0.1:8714", pattern=_HTTP_URL)
    timeout_secs: float = Field(default=10.0, gt=0, description="a forwarded API call")
    health_timeout_secs: float = Field(default=1.0, gt=0, description="each /healthz probe")

    def services(self) -> dict[ServiceName, Upstream]:
        """Return every service's URLs by name (HTTP base URLs without a trailing slash)."""
        return {
            "data_core": Upstream(self.data_core_http_url.rstrip("/"), self.data_core_url),
            "model_engine": Upstream(self.model_engine_http_url.rstrip("/"), self.model_engine_url),
            "exec_core": Upstream(self.exec_core_http_url.rstrip("/"), self.exec_core_url),
            "alert_system": Upstream(self.alert_system_http_url.rstrip("/"), self.alert_system_url),
        }


class RelaySettings(Section):
    """What the browser relay `/ws` forwards and how it treats slow browsers."""

    topics: tuple[str, ...] = Field(default=("*",), description="topics taken from every bus")
    queue_size: int = Field(default=1_024, ge=1, description="frames queued per browser")
    overflow: OverflowPolicy = "drop_oldest"
    handshake_timeout_secs: float = Field(default=10.0, gt=0)
    max_frame_bytes: int = Field(default=65_536, ge=1_024, description="largest browser frame")
    backoff_initial_secs: float = Field(default=0.1, gt=0)
    backoff_max_secs: float = Field(default=10.0, gt=0)

    @field_validator("topics")
    @classmethod
    def _check_topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return validate_patterns(value)


class LimitSettings(Section):
    """How large a request the gateway answers (`neurotradex.gateway.limits`)."""

    max_query_bytes: int = Field(
        default=8_192, ge=256, description="longest query string; longer: 414"
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1_024, description="largest request body; larger: 413"
    )
    max_head_bytes: int = Field(
        default=2_097_152,
        ge=16_384,
        description="largest request head uvicorn reads (so a long query is answered 414)",
    )


def _built_dashboard() -> Path | None:
    """Return `dashboard_ui/out` of this checkout when it has been built (`make dashboard`)."""
    built = Path(__file__).resolve().parents[2] / "dashboard_ui" / "out"
    return built if (built / "index.html").is_file() else None


class GatewaySettings(BaseSettings):
    """Everything the gateway needs; built once by the CLI and passed down.

    Unknown top-level keys are ignored so that one shared `.env` file can hold every
    service's variables; unknown keys inside a section are refused.
    """

    model_config = SettingsConfigDict(
        env_prefix="GATEWAY__",
        env_nested_delimiter="__",
        frozen=True,
        extra="ignore",
        nested_model_default_partial_update=True,
        env_ignore_empty=True,
        validate_by_name=True,
        validate_by_alias=True,
    )

    http: HttpSection = HttpSection(port=GATEWAY_PORT)
    upstream: UpstreamSettings = UpstreamSettings()
    relay: RelaySettings = RelaySettings()
    limits: LimitSettings = LimitSettings()
    log: LogSection = LogSection()
    dashboard_dir: Path | None = Field(
        default_factory=lambda: _built_dashboard(), description="the dashboard's static export"
    )
    home: Path = Field(
        default=Path("~/.neurotradex"), validation_alias="NTX_HOME", validate_default=True
    )
    read_token: SecretStr | None = Field(default=None, validation_alias="NTX_READ_TOKEN")
    operator_token: SecretStr | None = Field(default=None, validation_alias="NTX_OPERATOR_TOKEN")
    bus_token: SecretStr | None = Field(default=None, validation_alias="NTX_BUS_TOKEN")

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("read_token", "operator_token", "bus_token")
    @classmethod
    def _empty_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value() else None

    @model_validator(mode="after")
    def _distinct_tokens(self) -> Self:
        read, operator = self.read_token, self.operator_token
        if read is None or operator is None:
            return self
        if read.get_secret_value() == operator.get_secret_value():
            raise ValueError("NTX_READ_TOKEN and NTX_OPERATOR_TOKEN must differ")
        return self
