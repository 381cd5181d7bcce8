"""The walk-forward gate: only models whose out-of-sample metrics pass may feed a live broker.

Paper trading is always allowed; ``gate_passes`` decides live trading from the metrics that the
walk-forward evaluation wrote into the model's manifest (one model's entry of ``models``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator


class GateThresholds(BaseModel):
    """Configurable out-of-sample thresholds; None (``off`` in the environment) switches one off.

    ``max_drawdown_pct`` is a positive bound on the (negative) drawdown: 40 means a drawdown of
    -40 % or worse fails. ``min_sharpe_over_buy_and_hold`` bounds ``sharpe_over_buy_and_hold``
    (recorded by `record_walk_forward`): the model must beat holding the asset.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_rank_ic: float | None = Field(0.02, description="out-of-sample rank IC at least")
    min_sharpe: float | None = Field(0.5, description="out-of-sample net Sharpe at least")
    max_drawdown_pct: float | None = Field(50.0, ge=0.0, description="max drawdown within -x %")
    min_balanced_accuracy: float | None = Field(0.5, description="balanced accuracy at least")
    min_net_return_pct: float | None = Field(None, description="net return in % at least")
    min_sharpe_over_buy_and_hold: float | None = Field(
        0.0, description="OOS Sharpe minus buy-and-hold's on the same test bars, at least"
    )

    @field_validator("*", mode="before")
    @classmethod
    def _off(cls, value: object) -> object:
        # An environment variable cannot be None (empty means the default): `off` is None.
        return None if isinstance(value, str) and value.strip().lower() == "off" else value


class GateSection(GateThresholds):
    """``MODEL_ENGINE__GATE__*``: the live-trading gate's thresholds as model_engine settings.

    Plugged into ``ModelEngineSettings`` as ``gate: GateSection = GateSection()``.
    """


@dataclass(frozen=True)
class GateResult:
    """Whether live trading is allowed, and every failed check in words."""

    passed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _number(metrics: Mapping[str, object], key: str) -> float | None:
    value = metrics.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _check_min(metrics: Mapping[str, object], key: str, bound: float | None) -> str | None:
    if bound is None:
        return None
    value = _number(metrics, key)
    if value is None:
        return f"{key} is missing or not finite (needs >= {bound})"
    return None if value >= bound else f"{key} {value:.4g} < {bound:.4g}"


def gate_passes(metrics: Mapping[str, object], thresholds: GateThresholds) -> GateResult:
    """Return whether `metrics` (one model's out-of-sample metrics) pass `thresholds`.

    A missing or non-finite metric fails its check: no evidence is not a pass.

    Parameters
    ----------
    metrics
        Keys as in ``ntx evaluate --json`` (``rank_ic``, ``sharpe``, ``max_drawdown_pct`` ...).
    thresholds
        The bounds to apply.
    """
    reasons = [
        reason
        for reason in (
            _check_min(metrics, "rank_ic", thresholds.min_rank_ic),
            _check_min(metrics, "sharpe", thresholds.min_sharpe),
            _check_min(metrics, "balanced_accuracy", thresholds.min_balanced_accuracy),
            _check_min(metrics, "net_return_pct", thresholds.min_net_return_pct),
            _check_min(
                metrics, "sharpe_over_buy_and_hold", thresholds.min_sharpe_over_buy_and_hold
            ),
        )
        if reason is not None
    ]
    if thresholds.max_drawdown_pct is not None:
        drawdown = _number(metrics, "max_drawdown_pct")
        if drawdown is None:
            reasons.append("max_drawdown_pct is missing or not finite")
        elif abs(drawdown) > thresholds.max_drawdown_pct:
            reasons.append(f"max drawdown {drawdown:.4g} % beyond -{thresholds.max_drawdown_pct} %")
    return GateResult(passed=not reasons, reasons=tuple(reasons))


def may_trade_live(
    manifest_metrics: Mapping[str, object] | None, thresholds: GateThresholds
) -> GateResult:
    """Gate a live broker on a manifest's walk-forward metrics (None: never evaluated, fails)."""
    if manifest_metrics is None:
        return GateResult(passed=False, reasons=("no walk-forward metrics in the manifest",))
    return gate_passes(manifest_metrics, thresholds)


__all__ = ["GateResult", "GateSection", "GateThresholds", "gate_passes", "may_trade_live"]
