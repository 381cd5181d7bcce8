"""The walk-forward gate."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from model_engine.evaluation.gate import GateThresholds, gate_passes, may_trade_live

GOOD = {
    "rank_ic": 0.05,
    "sharpe": 1.2,
    "max_drawdown_pct": -20.0,
    "balanced_accuracy": 0.52,
    "net_return_pct": 30.0,
    "sharpe_over_buy_and_hold": 0.3,
}


def test_good_metrics_pass() -> None:
    result = gate_passes(GOOD, GateThresholds())
    assert result.passed
    assert result.reasons == ()


def test_every_failed_check_is_reported() -> None:
    bad = {**GOOD, "rank_ic": 0.0, "sharpe": 0.1, "max_drawdown_pct": -70.0}
    result = gate_passes(bad, GateThresholds())
    assert not result.passed
    assert len(result.reasons) == 3
    assert any("rank_ic" in r for r in result.reasons)
    assert any("drawdown" in r for r in result.reasons)


def test_missing_or_non_finite_metrics_fail() -> None:
    assert not gate_passes({**GOOD, "sharpe": None}, GateThresholds()).passed
    assert not gate_passes({**GOOD, "rank_ic": float("nan")}, GateThresholds()).passed
    assert not gate_passes(
        {k: v for k, v in GOOD.items() if k != "max_drawdown_pct"}, GateThresholds()
    ).passed
    assert not may_trade_live(None, GateThresholds()).passed


def test_checks_switch_off_and_thresholds_are_configurable() -> None:
    lax = GateThresholds(
        min_rank_ic=None,
        min_sharpe=None,
        max_drawdown_pct=None,
        min_balanced_accuracy=None,
        min_sharpe_over_buy_and_hold=None,
    )
    assert gate_passes({}, lax).passed
    strict = GateThresholds(min_net_return_pct=50.0)
    assert gate_passes(GOOD, strict).reasons == ("net_return_pct 30 < 50",)
    assert may_trade_live(GOOD, GateThresholds()).passed
    off = GateThresholds.model_validate({"min_sharpe": "OFF", "max_drawdown_pct": " off"})
    assert (off.min_sharpe, off.max_drawdown_pct) == (None, None)  # as an env value can say


def test_the_model_must_beat_buy_and_hold() -> None:
    behind = {**GOOD, "sharpe_over_buy_and_hold": -0.1}  # a good Sharpe, but holding did better
    result = gate_passes(behind, GateThresholds())
    assert result.reasons == ("sharpe_over_buy_and_hold -0.1 < 0",)
    assert gate_passes(behind, GateThresholds(min_sharpe_over_buy_and_hold=-0.2)).passed
    assert not gate_passes(GOOD, GateThresholds(min_sharpe_over_buy_and_hold=0.5)).passed
    unknown = {k: v for k, v in GOOD.items() if k != "sharpe_over_buy_and_hold"}
    assert (
        "sharpe_over_buy_and_hold is missing" in gate_passes(unknown, GateThresholds()).reasons[0]
    )
    assert gate_passes(unknown, GateThresholds(min_sharpe_over_buy_and_hold=None)).passed


def test_thresholds_are_frozen_and_validated() -> None:
    with pytest.raises(ValidationError):
        GateThresholds(max_drawdown_pct=-1.0)
    with pytest.raises(ValidationError):
        GateThresholds(min_sharp=1.0)  # type: ignore[call-arg]
