"""`ntx train` then `ntx models` on real candles: a tiny LSTM, one short epoch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from feature_spec import DEFAULT_SPEC
from model_engine.artifacts import load_artifact
from model_engine.training import ort_session
from neurotradex.cli.app import app
from tests.data_paths import data_dir


def test_train_writes_a_verified_artifact_that_models_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    monkeypatch.setenv("NTX_DATA_DIR", str(data_dir()))
    runner = CliRunner()
    args = [
        "train", "--model", "lstm", "--symbols", "BTC/USDT,SOL/USDT", "--timeframe", "1h",
        "--since", "2023-01-01", "--until", "2023-04-01", "--window", "16", "--hidden", "8",
        "--layers", "1", "--epochs", "1", "--max-batches", "3",
    ]  # fmt: skip
    trained = runner.invoke(app, args)
    assert trained.exit_code == 0, trained.output
    path = tmp_path / "models" / "lstm-1h" / "v0001"
    artifact = load_artifact(path, DEFAULT_SPEC)
    manifest = artifact.manifest
    assert manifest.training.symbols == ["BTC/USDT", "SOL/USDT"]
    assert manifest.training.val_from_ms > manifest.training.since_ms
    assert 0.0 <= manifest.metrics["accuracy"] <= 1.0
    assert manifest.explainer_background is not None
    background = np.load(path / manifest.explainer_background.file)
    assert background.shape == (manifest.explainer_background.count, 16, len(DEFAULT_SPEC.names))
    mean = np.array([f.mean for f in manifest.features], dtype=np.float32)
    std = np.array([f.std for f in manifest.features], dtype=np.float32)
    x = ((background[:3] - mean) / std).astype(np.float32)
    out = ort_session(artifact.model_path).run(["probabilities"], {"x": x})[0]
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-5)
    listed = runner.invoke(app, ["models", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output.strip().splitlines()[-1])["models"]
    assert rows["lstm-1h/v0001"]["metrics"]["accuracy"] == manifest.metrics["accuracy"]
