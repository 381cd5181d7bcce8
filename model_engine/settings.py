"""model_engine's settings, read from ``MODEL_ENGINE__<SECTION>__<KEY>`` plus NTX_* exceptions."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from service_runtime import BusSection, BusUrl, HttpSection, ServiceSettings, UpstreamSection


class ModelEngineUpstream(UpstreamSection):
    """The buses model_engine subscribes to: data_core."""

    data_core_url: BusUrl = "ws://127.0.0.1:8701/ws"


class ModelEngineSettings(ServiceSettings):
    """Everything model_engine reads from its environment.

    ``MODEL_ENGINE__BUS__PORT`` and friends set the sections; NTX_HOME and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="MODEL_ENGINE__")

    bus: BusSection = BusSection(port=8702)
    http: HttpSection = HttpSection(port=8712)
    upstream: ModelEngineUpstream = ModelEngineUpstream()
