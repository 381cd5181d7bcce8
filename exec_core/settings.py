"""exec_core's settings, read from ``EXEC_CORE__<SECTION>__<KEY>`` plus NTX_* exceptions.

The ledger, paper, live and positions sections are the ledger's, brokers' and positions'
own models (``EXEC_CORE__LEDGER__*``, ``__PAPER__*``, ``__LIVE__*``, ``__POSITIONS__*``);
``EXEC_CORE__BROKER`` picks ``paper`` (default) or ``live``.

The risk section may also come from a YAML file (``EXEC_CORE__RISK_FILE``); the file is
validated by the same `RiskSection` model, and ``EXEC_CORE__RISK__*`` variables win over it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import Field, ValidationError, model_validator
from pydantic_settings import SettingsConfigDict

from exec_core.brokers.settings import LiveSection, PaperSection
from exec_core.ledger.settings import LedgerSection
from exec_core.positions.settings import PositionsSection
from service_runtime import (
    BusSection,
    BusUrl,
    ExpandedPath,
    HttpSection,
    ServiceSettings,
    SettingsError,
    UpstreamSection,
)
from service_runtime.sections import Section

ApprovalMode = Literal["auto", "manual"]
BrokerKind = Literal["paper", "live"]


class ExecCoreUpstream(UpstreamSection):
    """The buses exec_core subscribes to: data_core, model_engine and alert_system."""

    data_core_url: BusUrl = "ws://127.0.0.1:8701/ws"
    model_engine_url: BusUrl = "ws://127.0.0.1:8702/ws"
    alert_system_url: BusUrl = "ws://127.0.0.1:8704/ws"


class ValidationSection(Section):
    """Checks every signal passes before the risk gate sees it."""

    max_signal_age_secs: float = Field(default=300.0, gt=0, description="staleness limit")
    min_confidence: float = Field(default=0.55, ge=0, le=1, description="lowest confidence")
    max_ood_score: float = Field(default=3.0, ge=0, description="highest OOD score")
    models: tuple[str, ...] = Field(default=(), description="known model names; empty: any")
    symbols: tuple[str, ...] = Field(default=("BTC/USDT",), description="tradable symbols")
    clock: Literal["wall", "market"] = Field(
        default="wall", description="wall time, or the newest bar close (replays)"
    )


class RiskSection(Section):
    """Limits of the risk gate; percentages are of equity, in percent."""

    max_drawdown_pct: Decimal = Field(default=Decimal(15), gt=0, le=100)
    max_model_drawdown_pct: Decimal = Field(default=Decimal(10), gt=0, le=100)
    model_capital: Decimal = Field(default=Decimal(10_000), gt=0)
    risk_per_trade_pct: Decimal = Field(default=Decimal(1), gt=0, le=100)
    atr_stop_multiple: Decimal = Field(default=Decimal(2), gt=0)
    reward_risk: Decimal = Field(default=Decimal("1.5"), gt=0)
    kelly_multiplier: Decimal = Field(default=Decimal("0.5"), gt=0, le=1)
    kelly_cap_pct: Decimal = Field(default=Decimal(20), gt=0, le=100)
    min_confidence_scale: Decimal = Field(default=Decimal("0.25"), ge=0, le=1)
    max_symbol_exposure_pct: Decimal = Field(default=Decimal(25), gt=0, le=100)
    max_total_exposure_pct: Decimal = Field(default=Decimal(60), gt=0, le=100)
    min_notional: Decimal = Field(default=Decimal(10), ge=0)
    loss_cooldown_secs: float = Field(default=3_600.0, ge=0)
    max_orders: int = Field(default=10, ge=1)
    order_window_secs: float = Field(default=3_600.0, gt=0)
    heartbeat_timeout_secs: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _check_exposure(self) -> Self:
        if self.max_symbol_exposure_pct > self.max_total_exposure_pct:
            raise ValueError("max_symbol_exposure_pct cannot exceed max_total_exposure_pct")
        return self


class ApprovalSection(Section):
    """Whether trades wait for a human, and how long before they are rejected."""

    mode: ApprovalMode = Field(default="auto", description="auto or manual")
    timeout_secs: float = Field(default=300.0, gt=0, description="unanswered: rejected")
    top_attributions: int = Field(default=5, ge=1, le=20, description="on the why-card")


class ExecCoreSettings(ServiceSettings):
    """Everything exec_core reads from its environment.

    ``EXEC_CORE__BUS__PORT`` and friends set the sections; NTX_HOME and NTX_BUS_TOKEN
    are the documented exceptions to the prefix (see ``.env.example``).
    """

    model_config = SettingsConfigDict(env_prefix="EXEC_CORE__")

    bus: BusSection = BusSection(port=8703)
    http: HttpSection = HttpSection(port=8713)
    upstream: ExecCoreUpstream = ExecCoreUpstream()
    validation: ValidationSection = ValidationSection()
    risk: RiskSection = RiskSection()
    approval: ApprovalSection = ApprovalSection()
    ledger: LedgerSection = LedgerSection()
    broker: BrokerKind = "paper"
    paper: PaperSection = PaperSection()
    live: LiveSection = LiveSection()
    positions: PositionsSection = PositionsSection()
    risk_file: ExpandedPath | None = None

    @classmethod
    def load(cls) -> Self:
        """Read the settings from the environment, then the risk file if one is named."""
        settings = super().load()
        if settings.risk_file is None:
            return settings
        risk = load_risk_file(settings.risk_file, os.environ, cls.env_prefix())
        return settings.model_copy(update={"risk": risk})

    def venue(self) -> str:
        """Return the venue orders go to: ``paper``, or the live exchange's ccxt id."""
        return "paper" if self.broker == "paper" else self.live.exchange

    def pairlist(self) -> tuple[str, ...]:
        """Return the tradable symbols: ``positions.pairlist``, else ``validation.symbols``."""
        return self.positions.pairlist or self.validation.symbols


def load_risk_file(path: Path, environ: Mapping[str, str], prefix: str) -> RiskSection:
    """Read `path` as a risk section; ``<prefix>RISK__<KEY>`` variables win over the file.

    Raises
    ------
    SettingsError
        The file cannot be read, is not a mapping, or fails `RiskSection`'s validation.
    """
    try:
        loaded: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"cannot read the risk file {path}: {exc}") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise SettingsError(f"the risk file {path} must hold a mapping of limits")
    head = f"{prefix}RISK__".upper()
    from_env = {k[len(head) :].lower(): v for k, v in environ.items() if k.upper().startswith(head)}
    try:
        return RiskSection.model_validate({**loaded, **from_env})
    except ValidationError as exc:
        raise SettingsError(f"invalid risk file {path}: {exc}") from None
