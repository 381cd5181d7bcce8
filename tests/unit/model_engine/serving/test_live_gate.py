"""The walk-forward gate at load: every signal carries its model's verdict (live_eligible)."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from feature_spec import DEFAULT_SPEC
from model_engine.build import build_service
from model_engine.evaluation import GateThresholds, quick_config
from model_engine.evaluation.record import record_walk_forward
from model_engine.serving.bundle import load_bundle
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.settings import ModelEngineSettings
from neurotradex.cli.app import app
from signal_schema import Signal
from tests.unit.model_engine.serving.conftest import frame

GOOD = {  # passes every default threshold, and beats buy-and-hold (Sharpe 0.4)
    "rank_ic": 0.05,
    "sharpe": 1.2,
    "balanced_accuracy": 0.52,
    "net_return_pct": 30.0,
    "max_drawdown_pct": -20.0,
}


def _copy(artifact: Path, home: Path, version: str) -> Path:
    """Copy the tiny artifact to ``home/models/lstm-small/<version>`` (no walk_forward yet)."""
    folder = home / "models" / "lstm-small" / version
    shutil.copytree(artifact, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "version": version}))
    return folder


def _evaluated(folder: Path, sharpe: float, hold: float) -> Path:
    """Record walk-forward metrics as `ntx evaluate --artifact` does (buy-and-hold beside)."""
    models = {"lstm": {**GOOD, "sharpe": sharpe}, "buy_and_hold": {**GOOD, "sharpe": hold}}
    result = {"oos_start": 0, "oos_end": 3_600_000, "models": models}
    record_walk_forward(folder, {"BTC/USDT": result}, quick_config(), "ntx evaluate", "1h", "1h")
    return folder


def _signals(registry: ModelRegistry, rows: np.ndarray) -> list[Signal]:
    engine = InferenceEngine(registry, DEFAULT_SPEC.names, utc_now)
    out: list[Signal] = []
    for bar in range(registry.max_window + 1):
        out += engine.score([frame(s, bar, rows[bar]) for s in ("BTC/USDT", "ETH/USDT")]).signals
    return out


def _registry(folder: Path, gate: GateThresholds | None = None) -> ModelRegistry:
    registry = ModelRegistry(GuardConfig(gate=gate or GateThresholds()), DEFAULT_SPEC.names)
    registry.swap(load_bundle(folder, DEFAULT_SPEC.names))
    return registry


def test_without_walk_forward_metrics_signals_are_paper_only(
    artifact: Path, rows: np.ndarray, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _copy(artifact, tmp_path, "v0001")
    with caplog.at_level(logging.INFO, logger="model_engine.serving.models"):
        registry = _registry(folder)
    served = registry.models["lstm-small"]
    assert served.gate.reasons == ("no walk-forward metrics in the manifest",)
    signals = _signals(registry, rows)
    assert len(signals) == 4
    assert {s.model.live_eligible for s in signals} == {False}
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "failed the walk-forward gate" in warning.getMessage()
    assert "no walk-forward metrics" in warning.getMessage()


def test_passing_walk_forward_metrics_make_signals_live_eligible(
    artifact: Path, rows: np.ndarray, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _evaluated(_copy(artifact, tmp_path, "v0001"), sharpe=1.2, hold=0.4)
    with caplog.at_level(logging.INFO, logger="model_engine.serving.models"):
        registry = _registry(folder)
    signals = _signals(registry, rows)
    assert {s.model.live_eligible for s in signals} == {True}
    assert {s.model.manifest_sha256 for s in signals} == {
        registry.models["lstm-small"].ref.manifest_sha256
    }
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("passed the walk-forward gate" in r.getMessage() for r in caplog.records)
    strict = _registry(folder, GateThresholds(min_sharpe=2.0))  # thresholds are settings
    assert strict.models["lstm-small"].gate.reasons == ("sharpe 1.2 < 2",)
    assert {s.model.live_eligible for s in _signals(strict, rows)} == {False}


def test_a_model_behind_buy_and_hold_is_paper_only(
    artifact: Path, rows: np.ndarray, tmp_path: Path
) -> None:
    folder = _evaluated(_copy(artifact, tmp_path, "v0001"), sharpe=1.2, hold=1.5)
    registry = _registry(folder)
    (reason,) = registry.models["lstm-small"].gate.reasons
    assert reason.startswith("sharpe_over_buy_and_hold -0.3")
    assert {s.model.live_eligible for s in _signals(registry, rows)} == {False}


def test_a_hot_swap_takes_the_new_versions_verdict(
    artifact: Path, rows: np.ndarray, tmp_path: Path
) -> None:
    registry = _registry(_copy(artifact, tmp_path, "v0001"))
    assert not registry.models["lstm-small"].ref.live_eligible
    _evaluated(_copy(artifact, tmp_path, "v0002"), sharpe=1.2, hold=0.4)
    assert registry.refresh(tmp_path) == ["lstm-small"]
    assert registry.models["lstm-small"].ref.version == "v0002"
    assert {s.model.live_eligible for s in _signals(registry, rows)} == {True}


def test_the_service_gates_with_its_settings_and_ntx_models_shows_it(
    artifact: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _evaluated(_copy(artifact, tmp_path, "v0001"), sharpe=1.2, hold=0.4)
    settings = ModelEngineSettings.model_validate(
        {"NTX_BUS_TOKEN": SecretStr("t"), "NTX_HOME": tmp_path, "gate": {"min_sharpe": 2.0}}
    )
    service = build_service(settings)
    assert not service.registry.models["lstm-small"].ref.live_eligible
    service.store.close()
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    for name in [n for n in os.environ if n.startswith("MODEL_ENGINE__GATE__")]:
        monkeypatch.delenv(name)  # the thresholds' defaults

    def listed() -> dict[str, object]:
        result = CliRunner().invoke(app, ["models", "--json"])
        assert result.exit_code == 0, result.output
        row: dict[str, object] = json.loads(result.output.strip().splitlines()[-1])["models"][
            "lstm-small/v0001"
        ]
        return row

    row = listed()
    assert (row["live_eligible"], row["gate_reasons"], row["path"]) == (True, [], str(folder))
    monkeypatch.setenv("MODEL_ENGINE__GATE__MIN_SHARPE", "2")
    row = listed()
    assert (row["live_eligible"], row["gate_reasons"]) == (False, ["sharpe 1.2 < 2"])
    monkeypatch.setenv("MODEL_ENGINE__GATE__MIN_SHARPE", "off")
    assert listed()["live_eligible"] is True


def test_evaluating_the_served_version_reloads_it_with_the_new_verdict(
    artifact: Path, rows: np.ndarray, tmp_path: Path
) -> None:
    folder = _copy(artifact, tmp_path, "v0001")
    registry = _registry(folder)
    assert registry.refresh(tmp_path) == []  # nothing changed: not reloaded
    _evaluated(folder, sharpe=1.2, hold=0.4)  # `ntx evaluate --artifact` on the served one
    assert registry.refresh(tmp_path) == ["lstm-small"]
    assert registry.models["lstm-small"].ref.live_eligible
    assert {s.model.live_eligible for s in _signals(registry, rows)} == {True}
