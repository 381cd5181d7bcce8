"""Artifacts: versioned writes, sha256 and feature-spec verification, listing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from feature_spec import DEFAULT_SPEC, FeatureSpec
from model_engine.artifacts import (
    ArtifactError,
    FeatureStat,
    Manifest,
    Normalisation,
    TensorSpec,
    TrainingWindow,
    list_artifacts,
    load_artifact,
    write_artifact,
)
from model_engine.training import TrainConfig, build_module, export_onnx

WINDOW = 8


def staged(tmp_path: Path) -> tuple[Path, Manifest]:
    torch.manual_seed(0)
    stage = tmp_path / "stage"
    stage.mkdir()
    module = build_module(TrainConfig(hidden=8, layers=1), WINDOW, len(DEFAULT_SPEC.names))
    info = export_onnx(module, stage / "model.onnx", WINDOW, len(DEFAULT_SPEC.names))
    (stage / "background.npy").write_bytes(b"\x93NUMPY placeholder")
    manifest = Manifest(
        name="x",
        created_at="2024-01-01T00:00:00+00:00",
        model_family="lstm",
        spec_version=DEFAULT_SPEC.version,
        features=[FeatureStat(name=n, mean=0.0, std=1.0) for n in DEFAULT_SPEC.names],
        normalisation=Normalisation(clip=10.0),
        window=WINDOW,
        label={"horizon_bars": 4, "flat_band_bps": 20.0, "kind": "fixed"},
        inputs=[TensorSpec(name=info.input_name, shape=list(info.input_shape))],
        outputs=[TensorSpec(name=n, shape=list(info.output_shape)) for n in info.output_names],
        opset=info.opset,
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
    return stage, manifest


def test_write_then_load_verifies_and_versions(tmp_path: Path) -> None:
    stage, manifest = staged(tmp_path)
    first = write_artifact(tmp_path / "home", "lstm-1h", stage, manifest)
    second = write_artifact(tmp_path / "home", "lstm-1h", stage, manifest)
    assert (first.name, second.name) == ("v0001", "v0002")
    loaded = load_artifact(second, DEFAULT_SPEC)
    assert set(loaded.manifest.sha256) == {"model.onnx", "background.npy"}
    assert loaded.manifest.feature_names == list(DEFAULT_SPEC.names)
    listed = list_artifacts(tmp_path / "home")
    assert [(a.manifest.name, a.manifest.version) for a in listed] == [
        ("lstm-1h", "v0001"),
        ("lstm-1h", "v0002"),
    ]
    assert json.loads((first / "manifest.json").read_text())["opset"] == 20


def test_tampered_or_extra_file_is_refused(tmp_path: Path) -> None:
    stage, manifest = staged(tmp_path)
    path = write_artifact(tmp_path / "home", "m", stage, manifest)
    data = bytearray((path / "model.onnx").read_bytes())
    data[-1] ^= 1
    (path / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="sha256"):
        load_artifact(path, DEFAULT_SPEC)
    clean = write_artifact(tmp_path / "home", "m", stage, manifest)
    (clean / "sneaky.onnx").write_bytes(b"x")
    with pytest.raises(ArtifactError, match="files"):
        load_artifact(clean, DEFAULT_SPEC)


def test_other_feature_spec_is_refused(tmp_path: Path) -> None:
    stage, manifest = staged(tmp_path)
    path = write_artifact(tmp_path / "home", "m", stage, manifest)
    fewer = FeatureSpec(DEFAULT_SPEC.blocks[:-1], DEFAULT_SPEC.warmup_bars)
    with pytest.raises(ArtifactError, match="features"):
        load_artifact(path, fewer)
    renamed = manifest.model_copy(update={"spec_version": "fs-other"})
    other = write_artifact(tmp_path / "home", "m", stage, renamed)
    with pytest.raises(ArtifactError, match="feature spec"):
        load_artifact(other, DEFAULT_SPEC)


def test_bad_name_or_missing_model_is_refused(tmp_path: Path) -> None:
    stage, manifest = staged(tmp_path)
    with pytest.raises(ArtifactError, match="name"):
        write_artifact(tmp_path / "home", "../escape", stage, manifest)
    (stage / "model.onnx").unlink()
    with pytest.raises(ArtifactError, match=r"model\.onnx"):
        write_artifact(tmp_path / "home", "m", stage, manifest)
