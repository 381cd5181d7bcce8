"""Base class of every service's settings: env names, exceptions, and load errors a human reads.

Names are ``<SERVICE>__<SECTION>__<KEY>`` (``env_prefix`` plus ``env_nested_delimiter``);
the documented exceptions ``NTX_HOME``, ``NTX_DATA_DIR`` and ``NTX_BUS_TOKEN`` are read
through validation aliases, which the prefix does not apply to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from service_runtime.errors import SettingsError
from service_runtime.sections import (
    BusSection,
    HeartbeatSection,
    HttpSection,
    LogSection,
    UpstreamSection,
)

ExpandedPath = Annotated[Path, AfterValidator(lambda path: path.expanduser())]
"""A path in which a leading ``~`` is expanded."""


class ServiceSettings(BaseSettings):
    """What every service reads; a subclass sets ``env_prefix`` and its sections' defaults."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="forbid",
        env_nested_delimiter="__",
        nested_model_default_partial_update=True,
        env_ignore_empty=True,
    )

    bus: BusSection
    http: HttpSection
    heartbeat: HeartbeatSection = HeartbeatSection()
    log: LogSection = LogSection()
    upstream: UpstreamSection = UpstreamSection()
    home: ExpandedPath = Field(
        default=Path("~/.neurotradex"),
        validate_default=True,
        validation_alias="NTX_HOME",
        description="NeuroTradeX's home folder (models, ledger, tokens)",
    )
    bus_token: SecretStr = Field(
        validation_alias="NTX_BUS_TOKEN",
        description="the service-to-service bus token every service presents and accepts",
    )
    read_token: SecretStr | None = Field(
        default=None,
        validation_alias="NTX_READ_TOKEN",
        description="the gateway's read token, accepted on the HTTP API beside the bus token",
    )

    @classmethod
    def env_prefix(cls) -> str:
        """Return this service's variable prefix, e.g. ``DATA_CORE__``."""
        return _prefix(cls)

    @classmethod
    def load(cls) -> Self:
        """Read the settings from the environment.

        Raises
        ------
        SettingsError
            A variable is missing, invalid, or unknown under this service's prefix; the
            message names each variable and what is wrong with it.
        """
        unknown = unknown_env_names(cls, os.environ)
        if unknown:
            raise SettingsError(f"unknown settings (typo?): {', '.join(unknown)}")
        try:
            return cls()
        except ValidationError as exc:
            raise SettingsError(f"invalid settings: {describe_errors(cls, exc)}") from None


def env_names(settings_type: type[BaseSettings]) -> set[str]:
    """Return every environment variable `settings_type` reads (upper case).

    Works for any pydantic-settings class whose nested sections are flat models (the
    gateway's and the supervisor's too), so `.env.example` can be checked against all.
    """
    prefix = _prefix(settings_type)
    names: set[str] = set()
    for name, field in settings_type.model_fields.items():
        alias = field.validation_alias
        annotation = field.annotation
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(f"{prefix}{name}__{key}".upper() for key in annotation.model_fields)
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def _prefix(settings_type: type[BaseSettings]) -> str:
    return str(settings_type.model_config.get("env_prefix", "")).upper()


def unknown_env_names(
    settings_type: type[ServiceSettings], environ: Mapping[str, str]
) -> list[str]:
    """Return the variables under the service's prefix that no setting reads."""
    prefix = settings_type.env_prefix()
    known = env_names(settings_type)
    sections = {f"{prefix}{name}".upper() for name in settings_type.model_fields}
    return sorted(
        key
        for key in environ
        if key.upper().startswith(prefix) and key.upper() not in known | sections
    )


def describe_errors(settings_type: type[ServiceSettings], exc: ValidationError) -> str:
    """Name the variable behind each validation error, e.g. ``NTX_BUS_TOKEN: not set``."""
    return "; ".join(
        f"{_variable(settings_type, error['loc'])}: {_problem(settings_type, error)}"
        for error in exc.errors(include_url=False)
    )


def _variable(settings_type: type[ServiceSettings], loc: Sequence[int | str]) -> str:
    head = str(loc[0]) if loc else ""
    aliases = {f.validation_alias for f in settings_type.model_fields.values()}
    if head in aliases:
        return head
    return settings_type.env_prefix() + "__".join(str(part).upper() for part in loc)


def _problem(settings_type: type[ServiceSettings], error: Mapping[str, object]) -> str:
    if error["type"] != "missing":
        return str(error["msg"])
    loc = error["loc"]
    head = loc[0] if isinstance(loc, tuple) and loc else None
    for field in settings_type.model_fields.values():
        if field.validation_alias == head and field.description:
            return f"not set ({field.description})"
    return "not set"
