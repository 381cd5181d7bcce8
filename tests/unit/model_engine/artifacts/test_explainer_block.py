"""The manifest's typed explainer block, and the serving path staying torch-free."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from model_engine.artifacts import ExplainerInfo, load_artifact, write_artifact
from model_engine.artifacts.store import sha256_file
from tests.unit.model_engine.artifacts.test_store import staged


def _info(model_sha256: str) -> ExplainerInfo:
    return ExplainerInfo(
        method="fastshap-conv1d+efficiency",
        players=["a", "b"],
        output_space="probability of the predicted class",
        background="2 real training windows",
        background_end_ms=[1, 2],
        expected_value={"down": 0.3, "flat": 0.4, "up": 0.3},
        targets="2 windows",
        model_sha256=model_sha256,
    )


def test_explainer_block_is_strict() -> None:
    with pytest.raises(ValidationError):
        ExplainerInfo.model_validate({**_info("0").model_dump(), "surprise": 1})


def test_explainer_is_usable_only_for_its_own_model(tmp_path: Path) -> None:
    stage, manifest = staged(tmp_path)
    for file in ("explainer.onnx", "explainer.npz"):
        (stage / file).write_bytes(b"placeholder")
    model_sha = sha256_file(stage / "model.onnx")
    ours = write_artifact(
        tmp_path / "home", "m", stage, manifest.model_copy(update={"explainer": _info(model_sha)})
    )
    other = write_artifact(
        tmp_path / "home", "m", stage, manifest.model_copy(update={"explainer": _info("f" * 64)})
    )
    bare = write_artifact(tmp_path / "home", "m", stage, manifest)
    assert load_artifact(ours).explainer_path == ours / "explainer.onnx"
    assert load_artifact(other).explainer_path is None
    assert load_artifact(bare).manifest.explainer is None
    assert load_artifact(bare).explainer_path is None


def test_artifacts_and_serving_never_import_torch() -> None:
    code = (
        "import sys, model_engine.artifacts, model_engine.serving.bundle, "
        "model_engine.serving.models, model_engine.serving.engine; "
        "sys.exit(int(any(m.split('.')[0] in ('torch', 'lightning') for m in sys.modules)))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603
