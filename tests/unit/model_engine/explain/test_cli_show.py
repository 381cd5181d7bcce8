"""`ntx explain show`: the stored SHAP explanation, or LIME computed on request."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feature_spec import DEFAULT_SPEC
from model_engine.explain.realdata import load_features
from model_engine.serving.bundle import load_bundle
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.signals_store import SignalStore
from neurotradex.cli.app import app
from signal_schema import FeatureFrame


def test_show_prints_shap_and_lime(artifact: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = artifact.parents[2]
    registry = ModelRegistry(GuardConfig(), DEFAULT_SPEC.names)
    registry.swap(load_bundle(artifact))
    engine = InferenceEngine(registry, DEFAULT_SPEC.names, utc_now)
    rows = load_features("BTC")[1][-20:]
    for bar in range(registry.max_window):
        ts = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=bar)
        scored = engine.score(
            [
                FeatureFrame(
                    ts_event=ts, ts_init=ts, venue="binance", symbol="BTC/USDT", timeframe="1h",
                    spec_version=DEFAULT_SPEC.version, close=Decimal("1.5"),
                    names=DEFAULT_SPEC.names, values=tuple(rows[bar].tolist()), warm=True,
                )
            ]
        )  # fmt: skip
    SignalStore(home / "data" / "signals.sqlite").add(scored.signals, scored.windows[0][None])
    monkeypatch.setenv("NTX_HOME", str(home))
    signal_id = scored.signals[0].signal_id
    shap = CliRunner().invoke(app, ["explain", "show", signal_id])
    assert shap.exit_code == 0, shap.output
    assert json.loads(shap.output)["method"].startswith("fastshap")
    lime = CliRunner().invoke(app, ["explain", "show", signal_id, "--method", "lime"])
    assert json.loads(lime.output)["method"] == "lime-feature-masks"
    missing = CliRunner().invoke(app, ["explain", "show", "nope"])
    assert missing.exit_code == 1
