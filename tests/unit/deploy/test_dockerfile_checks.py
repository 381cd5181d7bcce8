"""The Dockerfile checker: non-root, HEALTHCHECK, multi-stage, COPY sources, torch-free."""

from __future__ import annotations

from pathlib import Path

from deploy_checks.dockerfiles import check_dockerfile, check_dockerfiles
from deploy_checks.findings import errors

ROOT = Path(__file__).resolve().parents[3]
GOOD = """FROM python:3.11-slim AS build
ARG EXTRAS=serve,models
COPY pyproject.toml ./
FROM python:3.11-slim
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "0"]
CMD ["python", "-m", "model_engine"]
"""


def _messages(tmp_path: Path, text: str, name: str = "model_engine") -> list[str]:
    (tmp_path / "pyproject.toml").write_text("")
    path = tmp_path / f"{name}.Dockerfile"
    path.write_text(text)
    return [f.message for f in errors(check_dockerfile(path, tmp_path))]


def test_real_dockerfiles_pass() -> None:
    assert errors(check_dockerfiles(ROOT / "docker", ROOT)) == []


def test_good_dockerfile_passes(tmp_path: Path) -> None:
    assert _messages(tmp_path, GOOD) == []


def test_root_user_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("USER 10001:10001", "USER root")
    assert "final stage must switch to a non-root USER" in _messages(tmp_path, text)


def test_user_only_in_build_stage_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("USER 10001:10001\n", "").replace("AS build\n", "AS build\nUSER 1\n")
    assert "final stage must switch to a non-root USER" in _messages(tmp_path, text)


def test_missing_healthcheck_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace('HEALTHCHECK CMD ["python", "-c", "0"]', "HEALTHCHECK NONE")
    assert "final stage has no HEALTHCHECK" in _messages(tmp_path, text)


def test_missing_copy_source_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("COPY pyproject.toml ./", "COPY pyproject.toml missing_dir/ ./")
    assert any("missing_dir/" in m for m in _messages(tmp_path, text))


def test_glob_copy_needs_one_match_only(tmp_path: Path) -> None:
    text = GOOD.replace("COPY pyproject.toml ./", "COPY pyproject.toml dashboard_u[i] ./")
    assert _messages(tmp_path, text) == []


def test_single_stage_is_reported(tmp_path: Path) -> None:
    text = GOOD.split("FROM python:3.11-slim\n", 1)[1].replace("--from=build ", "")
    text = "FROM python:3.11-slim\n" + text.replace("/opt/venv /opt/venv", "pyproject.toml /x")
    assert "not multi-stage (one FROM)" in _messages(tmp_path, text)


def test_torch_extra_in_service_image_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("ARG EXTRAS=serve,models", "ARG EXTRAS=serve,models,train")
    assert any("torch extras" in m for m in _messages(tmp_path, text))
    assert _messages(tmp_path, text, name="train") == []
