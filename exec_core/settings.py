"""exec_core's settings, read from ``EXEC_CORE__<SECTION>__<KEY>`` plus NTX_* exceptions."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from service_runtime import BusSection, BusUrl, HttpSection, ServiceSettings, UpstreamSection


class ExecCoreUpstream(UpstreamSection):
    """The buses exec_core subscribes to: data_core and model_engine."""

    data_core_url: BusUrl = "ws://127.0.0.1:8701/ws"
    model_engine_url: BusUrl = "ws://127.0.0.1:8702/ws"


class ExecCoreSettings(ServiceSettings):
    """Everything exec_core reads from its environment.

    ``EXEC_CORE__BUS__PORT`` and friends set the sections; NTX_HOME and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="EXEC_CORE__")

    bus: BusSection = BusSection(port=8703)
    http: HttpSection = HttpSection(port=8713)
    upstream: ExecCoreUpstream = ExecCoreUpstream()
