"""alert_system's settings, read from ``ALERT_SYSTEM__<SECTION>__<KEY>`` plus NTX_* exceptions."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from service_runtime import BusSection, BusUrl, HttpSection, ServiceSettings, UpstreamSection


class AlertSystemUpstream(UpstreamSection):
    """The buses alert_system subscribes to: model_engine and exec_core."""

    model_engine_url: BusUrl = "ws://127.0.0.1:8702/ws"
    exec_core_url: BusUrl = "ws://127.0.0.1:8703/ws"


class AlertSystemSettings(ServiceSettings):
    """Everything alert_system reads from its environment.

    ``ALERT_SYSTEM__BUS__PORT`` and friends set the sections; NTX_HOME and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="ALERT_SYSTEM__")

    bus: BusSection = BusSection(port=8704)
    http: HttpSection = HttpSection(port=8714)
    upstream: AlertSystemUpstream = AlertSystemUpstream()
