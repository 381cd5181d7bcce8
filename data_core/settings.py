"""data_core's settings, read from ``DATA_CORE__<SECTION>__<KEY>`` plus NTX_* exceptions."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from service_runtime import BusSection, ExpandedPath, HttpSection, ServiceSettings


class DataCoreSettings(ServiceSettings):
    """Everything data_core reads from its environment.

    ``DATA_CORE__BUS__PORT`` and friends set the sections; NTX_HOME, NTX_DATA_DIR and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="DATA_CORE__")

    bus: BusSection = BusSection(port=8701)
    http: HttpSection = HttpSection(port=8711)
    data_dir: ExpandedPath | None = Field(
        default=None,
        validation_alias="NTX_DATA_DIR",
        description="folder of recorded market data to replay (optional)",
    )
