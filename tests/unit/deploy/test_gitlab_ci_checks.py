"""The pipeline checker: declared stages, and every job calls a real Makefile target."""

from __future__ import annotations

from pathlib import Path

import yaml

from deploy_checks.findings import errors
from deploy_checks.gitlab_ci import check_gitlab_ci, make_targets, makefile_targets

ROOT = Path(__file__).resolve().parents[3]


def _messages(tmp_path: Path, document: dict[str, object]) -> list[str]:
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(yaml.safe_dump(document))
    return [f.message for f in errors(check_gitlab_ci(path, ROOT / "Makefile"))]


def _real() -> dict[str, object]:
    text = (ROOT / ".gitlab-ci.yml").read_text()
    loaded: dict[str, object] = yaml.safe_load(text)
    return loaded


def test_real_pipeline_passes() -> None:
    assert errors(check_gitlab_ci(ROOT / ".gitlab-ci.yml", ROOT / "Makefile")) == []


def test_makefile_targets_include_check_deploy_and_test() -> None:
    targets = makefile_targets(ROOT / "Makefile")
    assert {"check-deploy", "test", "lint"} <= targets
    assert "PYTHON" not in targets


def test_make_calls_are_extracted() -> None:
    script = ["make images IMAGE_TAG=1", "make -s lint && echo make", "echo hi # make x"]
    assert make_targets(script) == ["images", "lint"]


def test_unknown_target_is_reported(tmp_path: Path) -> None:
    document = _real()
    document["mypy"] = {"extends": ".python", "stage": "lint", "script": ["make mypy"]}
    assert "make mypy: no such target" in _messages(tmp_path, document)


def test_job_without_make_is_reported(tmp_path: Path) -> None:
    document = _real()
    document["extra"] = {"stage": "test", "script": ["pytest -q"]}
    assert "job calls no Makefile target" in _messages(tmp_path, document)


def test_missing_stage_is_reported(tmp_path: Path) -> None:
    document = _real()
    document["stages"] = ["lint", "test", "build", "e2e"]
    messages = _messages(tmp_path, document)
    assert any(m.startswith("stages must include") for m in messages)
    assert "stage security is not declared" in messages
