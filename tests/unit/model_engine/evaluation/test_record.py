"""The gate's input: OOS metrics written into a manifest's walk_forward, and the settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from feature_spec import DEFAULT_SPEC
from model_engine.artifacts import (
    MANIFEST_FILE,
    ArtifactError,
    FeatureStat,
    Manifest,
    Normalisation,
    TensorSpec,
    TrainingWindow,
    read_manifest,
)
from model_engine.evaluation import GateSection, GateThresholds, quick_config
from model_engine.evaluation.gate import may_trade_live
from model_engine.evaluation.record import record_walk_forward
from model_engine.evaluation.scoring import Scored, blend


def _artifact(folder: Path) -> Path:
    manifest = Manifest(
        name="x",
        created_at="2024-01-01T00:00:00+00:00",
        model_family="lstm",
        spec_version=DEFAULT_SPEC.version,
        features=[FeatureStat(name=n, mean=0.0, std=1.0) for n in DEFAULT_SPEC.names],
        normalisation=Normalisation(clip=10.0),
        window=24,
        label={"horizon_bars": 1},
        inputs=[TensorSpec(name="x", shape=[-1, 24, len(DEFAULT_SPEC.names)])],
        outputs=[TensorSpec(name="p", shape=[-1, 3])],
        opset=17,
        training=TrainingWindow(
            symbols=["BTC/USDT"],
            timeframe="1h",
            since_ms=0,
            until_ms=1,
            train_windows=1,
            val_windows=1,
            val_from_ms=1,
        ),
        data_fingerprint="0" * 64,
    )
    folder.mkdir()
    (folder / MANIFEST_FILE).write_text(manifest.model_dump_json())
    return folder


def _result(rank_ic: float, sharpe: float, hold: float | None = 0.1) -> dict[str, object]:
    metrics = {
        "rank_ic": rank_ic,
        "sharpe": sharpe,
        "balanced_accuracy": 0.52,
        "net_return_pct": 10.0,
        "max_drawdown_pct": -20.0,
    }
    models: dict[str, object] = {"lstm": metrics}
    if hold is not None:  # buy-and-hold scored on the same bars
        models["buy_and_hold"] = {**metrics, "rank_ic": None, "sharpe": hold}
    return {"oos_start": 0, "oos_end": 3_600_000, "models": models}


def test_walk_forward_metrics_feed_the_gate(tmp_path: Path) -> None:
    path = _artifact(tmp_path / "v0001")
    assert not may_trade_live(read_manifest(path).walk_forward, GateThresholds()).passed
    results = {"BTC/USDT": _result(0.05, 1.2), "ETH/USDT": _result(0.03, 0.4)}
    record_walk_forward(path, results, quick_config(), "ntx evaluate", "1h", "1h")
    entry = read_manifest(path).walk_forward
    assert entry is not None
    assert entry["model"] == "lstm"
    assert (entry["rank_ic"], entry["sharpe"]) == (0.03, 0.4)  # worst over symbols
    verdict = may_trade_live(entry, GateThresholds())
    assert not verdict.passed
    assert any("sharpe" in r for r in verdict.reasons)
    assert may_trade_live(entry, GateThresholds(min_sharpe=0.3)).passed


def test_the_excess_over_buy_and_hold_is_recorded_worst_first(tmp_path: Path) -> None:
    path = _artifact(tmp_path / "v0001")
    results = {"BTC/USDT": _result(0.05, 1.2, hold=1.5), "ETH/USDT": _result(0.05, 0.9, 0.2)}
    record_walk_forward(path, results, quick_config(), "ntx evaluate", "1h", "1h")
    entry = read_manifest(path).walk_forward
    assert entry is not None
    btc = entry["by_symbol"]["BTC/USDT"]
    assert btc["buy_and_hold_sharpe"] == 1.5
    assert btc["sharpe_over_buy_and_hold"] == pytest.approx(-0.3)
    assert entry["sharpe_over_buy_and_hold"] == pytest.approx(-0.3)  # BTC: held did better
    verdict = may_trade_live(entry, GateThresholds())
    assert verdict.reasons == ("sharpe_over_buy_and_hold -0.3 < 0",)
    assert may_trade_live(entry, GateThresholds(min_sharpe_over_buy_and_hold=-0.5)).passed


def test_without_buy_and_hold_there_is_no_evidence(tmp_path: Path) -> None:
    path = _artifact(tmp_path / "v0001")
    results = {"BTC/USDT": _result(0.05, 1.2, hold=None)}
    record_walk_forward(path, results, quick_config(), "ntx evaluate", "1h", "1h")
    entry = read_manifest(path).walk_forward
    assert entry is not None
    assert entry["sharpe_over_buy_and_hold"] is None
    verdict = may_trade_live(entry, GateThresholds())
    assert not verdict.passed
    assert "sharpe_over_buy_and_hold is missing" in verdict.reasons[0]


def test_unknown_model_is_refused(tmp_path: Path) -> None:
    path = _artifact(tmp_path / "v0001")
    with pytest.raises(ArtifactError, match="not evaluated"):
        record_walk_forward(
            path, {"BTC/USDT": _result(0.1, 1)}, quick_config(), "c", "1h", "1h", "gru"
        )


def test_gate_section_has_the_gate_defaults() -> None:
    assert GateSection() == GateSection.model_validate(GateThresholds().model_dump())
    assert GateSection(min_sharpe=None).min_sharpe is None


def test_blend_weight_is_chosen_on_validation_only() -> None:
    from model_engine.evaluation.data import Dataset
    from model_engine.evaluation.folds import Fold

    rng = np.random.default_rng(1)
    fwd = rng.standard_normal(200)
    good, noise = Scored(), Scored()
    good.val, good.test = [fwd[:100].copy()], [rng.standard_normal(100)]
    noise.val, noise.test = [rng.standard_normal(100)], [fwd[100:].copy()]
    data = Dataset(np.zeros((200, 1)), ("f",), np.arange(200), fwd, fwd, fwd, 1)
    fold = Fold(2021, 0, 0, 0, np.arange(0), np.arange(100), ())
    out = blend(good, noise, (0.0, 0.5, 1.0), data, [fold])
    assert out.notes == [{"year": 2021, "dl_weight": 1.0}]  # test data never consulted
