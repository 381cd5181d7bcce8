"""model_engine's settings, read from ``MODEL_ENGINE__<SECTION>__<KEY>`` plus NTX_* exceptions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from model_engine.evaluation.gate import GateSection
from service_runtime import BusSection, BusUrl, HttpSection, ServiceSettings, UpstreamSection
from service_runtime.sections import Section


class ModelEngineUpstream(UpstreamSection):
    """The buses model_engine subscribes to: data_core."""

    data_core_url: BusUrl = "ws://127.0.0.1:8701/ws"


class ServingSection(Section):
    """Which artifacts are served, how frames are batched, and the guard rails."""

    models: tuple[str, ...] = Field(default=(), description="model names served; empty: all")
    batch_linger_ms: float = Field(default=50.0, ge=0, description="wait for a bar's streams")
    reload_secs: float = Field(default=30.0, ge=0, description="look for new versions; 0: never")
    ood_threshold: float = Field(default=1.0, gt=0, description="flag signals past this OOD")
    drift_threshold: float = Field(default=0.3, gt=0, le=1, description="attribution drift")
    drift_window: int = Field(default=500, ge=1, description="signals in the drift mean")
    drift_min_signals: int = Field(default=100, ge=1, description="signals before drift counts")
    explainer: Literal["auto", "permutation"] = Field(
        default="auto", description="auto: explainer.onnx when shipped; permutation: sampled"
    )
    store_name: str = Field(default="signals.sqlite", description="file under NTX_HOME/data")
    warm_up: bool = Field(
        default=True,
        description="warm a stream's window from NTX_HOME's candle store before its first signal",
    )


class ModelEngineSettings(ServiceSettings):
    """Everything model_engine reads from its environment.

    ``MODEL_ENGINE__BUS__PORT`` and friends set the sections; NTX_HOME and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="MODEL_ENGINE__")

    bus: BusSection = BusSection(port=8702)
    http: HttpSection = HttpSection(port=8712)
    upstream: ModelEngineUpstream = ModelEngineUpstream()
    serving: ServingSection = ServingSection()
    gate: GateSection = GateSection()


class GateSettings(BaseSettings):
    """Only ``MODEL_ENGINE__GATE__*``, read as the service reads it (no bus token needed).

    For tools that judge artifacts without running the service (``ntx models``).
    """

    model_config = SettingsConfigDict(
        env_prefix="MODEL_ENGINE__",
        env_nested_delimiter="__",
        env_ignore_empty=True,
        nested_model_default_partial_update=True,
        extra="ignore",
        frozen=True,
    )

    gate: GateSection = GateSection()
