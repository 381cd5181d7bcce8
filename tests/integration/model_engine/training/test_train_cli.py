"""`ntx train` then `ntx models` on real candles: a tiny LSTM, one short epoch, tiny explainer."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from feature_spec import DEFAULT_SPEC
from model_engine.artifacts import ArtifactError, load_artifact, read_manifest
from model_engine.serving.bundle import load_bundle
from model_engine.serving.models import GuardConfig, ServedModel
from model_engine.training import ort_session
from neurotradex.cli.app import app
from tests.data_paths import data_dir

TINY = [
    "train", "--model", "lstm", "--symbols", "BTC/USDT,SOL/USDT", "--timeframe", "1h",
    "--since", "2023-01-01", "--until", "2023-04-01", "--window", "16", "--hidden", "8",
    "--layers", "1", "--epochs", "1", "--max-batches", "3",
]  # fmt: skip


def test_train_writes_a_verified_artifact_that_models_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    monkeypatch.setenv("NTX_DATA_DIR", str(data_dir()))
    runner = CliRunner()
    args = [*TINY, "--explainer-windows", "8", "--explainer-epochs", "2",
            "--explainer-background", "4"]  # fmt: skip
    trained = runner.invoke(app, args)
    assert trained.exit_code == 0, trained.output
    assert "holdout: accuracy" in trained.output
    assert "the naive forecast" in trained.output
    path = tmp_path / "models" / "lstm-1h" / "v0001"
    artifact = load_artifact(path, DEFAULT_SPEC)
    manifest = artifact.manifest
    assert manifest.training.symbols == ["BTC/USDT", "SOL/USDT"]
    assert manifest.config["skip"] is True  # the wide path the evaluation chose (--no-wide: off)
    assert manifest.label["flat_fraction"] == pytest.approx(1 / 3)  # the protocol's labels
    bands = manifest.label["flat_band_bps_by_symbol"]
    assert set(bands) == {"BTC/USDT", "SOL/USDT"}
    assert bands["SOL/USDT"] > bands["BTC/USDT"] > 20
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
    assert rows["lstm-1h/v0001"]["explainer"] == "fastshap-player+efficiency"
    # the explainer ships in the artifact, hashed and built for this model
    assert {"explainer.onnx", "explainer.npz"} <= set(manifest.sha256)
    assert manifest.explainer is not None
    assert manifest.explainer.model_sha256 == manifest.sha256["model.onnx"]
    assert manifest.explainer.players == list(DEFAULT_SPEC.names)
    assert len(manifest.explainer.background_end_ms) == 4
    assert max(manifest.explainer.background_end_ms) < manifest.training.val_from_ms
    assert manifest.training.base == "BTC"
    # 2023-01-01 to 2023-04-01 as asked; the audit's holdout starts after until_ms
    assert (manifest.training.since_ms, manifest.training.until_ms) == (
        1_672_531_200_000,
        1_680_307_200_000,
    )
    served = ServedModel(load_bundle(path, DEFAULT_SPEC.names), GuardConfig())
    assert served.explainer.method == "fastshap-player+efficiency"
    tampered = tmp_path / "tampered"
    shutil.copytree(path, tampered)
    with (tampered / "explainer.onnx").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ArtifactError, match=r"sha256 of explainer\.onnx"):
        load_artifact(tampered, DEFAULT_SPEC)
    with pytest.raises(ArtifactError, match="sha256"):
        load_bundle(tampered, DEFAULT_SPEC.names)


def test_no_explainer_still_serves_with_permutation_shapley(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    monkeypatch.setenv("NTX_DATA_DIR", str(data_dir()))
    runner = CliRunner()
    trained = runner.invoke(app, [*TINY, "--no-explainer", "--max-windows", "200"])
    assert trained.exit_code == 0, trained.output
    path = tmp_path / "models" / "lstm-1h" / "v0001"
    manifest = load_artifact(path, DEFAULT_SPEC).manifest
    assert manifest.explainer is None
    assert not {"explainer.onnx", "explainer.npz"} & set(manifest.sha256)
    served = ServedModel(load_bundle(path, DEFAULT_SPEC.names), GuardConfig())
    assert served.explainer.method == "permutation-shapley"
    x = np.load(path / "background.npy")[:2]
    e = served.explainer.explain(x)
    np.testing.assert_allclose(e.base + e.phi.sum(axis=1), e.output, atol=1e-6)
    listed = runner.invoke(app, ["models", "--json"])
    rows = json.loads(listed.output.strip().splitlines()[-1])["models"]
    assert rows["lstm-1h/v0001"]["explainer"] == "permutation-shapley"


def test_an_ensemble_artifact_serves_and_takes_the_dl_ensemble_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    monkeypatch.setenv("NTX_DATA_DIR", str(data_dir()))
    runner = CliRunner()
    one_symbol = [("BTC/USDT" if arg == "BTC/USDT,SOL/USDT" else arg) for arg in TINY]
    args = [*one_symbol, "--model", "lstm,transformer", "--seeds", "0", "--window", "8"]
    trained = runner.invoke(app, [*args, "--no-explainer", "--max-windows", "300"])
    assert trained.exit_code == 0, trained.output
    path = tmp_path / "models" / "ensemble-1h" / "v0001"
    manifest = load_artifact(path, DEFAULT_SPEC).manifest
    assert manifest.model_family == "ensemble"
    assert manifest.config["members"] == [
        {"model": "lstm", "seed": 0},
        {"model": "transformer", "seed": 0},
    ]
    served = ServedModel(load_bundle(path, DEFAULT_SPEC.names), GuardConfig())
    x = np.load(path / "background.npy")[:4]
    e = served.explainer.explain(x)
    np.testing.assert_allclose(e.base + e.phi.sum(axis=1), e.output, atol=1e-6)
    # the quick protocol trains the same members (lstm + transformer, one seed, window 8,
    # hidden 8, wide path, 12-bar horizon, one symbol), so its dl_ensemble metrics describe
    # this artifact
    evaluated = runner.invoke(
        app,
        ["evaluate", "--quick", "--horizon", "12h", "--artifact", str(path), "--json",
         "--report", str(tmp_path / "report.md")],
    )  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    summary = json.loads(evaluated.output.strip().splitlines()[-1])
    walk_forward = read_manifest(path).walk_forward
    assert walk_forward is not None
    assert walk_forward["model"] == "dl_ensemble"
    assert walk_forward["rank_ic"] == summary["models"]["dl_ensemble"]["rank_ic"]
    refused = runner.invoke(
        app,
        ["evaluate", "--quick", "--horizon", "12h", "--models", "lstm", "--artifact", str(path)],
    )
    assert refused.exit_code == 2
    message = " ".join(re.sub("[│╭╮╰╯─]", " ", refused.output).split())
    assert "averages ['lstm', 'transformer'], the protocol's dl_ensemble averages ['lstm']" in (
        message
    )
