"""The risk section from a YAML file, validated by the same model; env wins over the file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from exec_core.settings import load_risk_file
from service_runtime import SettingsError


def test_yaml_and_env(tmp_path: Path) -> None:
    path = tmp_path / "risk.yaml"
    path.write_text("max_drawdown_pct: 12\nmax_orders: 3\n")
    risk = load_risk_file(path, {"EXEC_CORE__RISK__MAX_ORDERS": "5"}, "EXEC_CORE__")
    assert risk.max_drawdown_pct == Decimal(12)
    assert risk.max_orders == 5


def test_invalid_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "risk.yaml"
    path.write_text("max_drawdown_pct: 120\n")
    with pytest.raises(SettingsError, match="max_drawdown_pct"):
        load_risk_file(path, {}, "EXEC_CORE__")
    path.write_text("typo_limit: 1\n")
    with pytest.raises(SettingsError):
        load_risk_file(path, {}, "EXEC_CORE__")
