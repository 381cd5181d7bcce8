"""The compose checker reports what breaks a deployment, and passes the real file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deploy_checks.compose import check_compose
from deploy_checks.envfile import env_names, loopback_urls
from deploy_checks.findings import errors

ROOT = Path(__file__).resolve().parents[3]
NAMES = env_names(ROOT / ".env.example")


def _real() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _check(document: dict[str, object], tmp_path: Path, text: str | None = None) -> list[str]:
    path = tmp_path / "docker-compose.yml"
    path.write_text(text if text is not None else yaml.safe_dump(document))
    (tmp_path / "docker").symlink_to(ROOT / "docker")
    return [f.message for f in errors(check_compose(path, NAMES))]


def test_real_compose_file_passes() -> None:
    assert errors(check_compose(ROOT / "docker-compose.yml", NAMES)) == []


def test_missing_healthcheck_is_reported(tmp_path: Path) -> None:
    document = _real()
    services = document["services"]
    assert isinstance(services, dict)
    del services["exec_core"]["healthcheck"]
    assert "no healthcheck" in _check(document, tmp_path)


def test_env_name_not_in_env_example_is_reported(tmp_path: Path) -> None:
    document = _real()
    services = document["services"]
    assert isinstance(services, dict)
    services["model_engine"]["environment"]["MODEL_ENGINE__UPSTREAM__DATACORE_URL"] = "ws://x"
    messages = _check(document, tmp_path)
    assert any("MODEL_ENGINE__UPSTREAM__DATACORE_URL is not in .env.example" in m for m in messages)


def test_missing_service_is_reported(tmp_path: Path) -> None:
    document = _real()
    services = document["services"]
    assert isinstance(services, dict)
    del services["alert_system"]
    services["dashboard_ui"]["depends_on"].pop("alert_system")
    assert "service alert_system is missing" in _check(document, tmp_path)


def test_bus_token_must_fail_fast(tmp_path: Path) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    text = text.replace("${NTX_BUS_TOKEN:?NTX_BUS_TOKEN must be set", "${NTX_BUS_TOKEN:-unset")
    assert any("must fail fast" in m for m in _check({}, tmp_path, text))


@pytest.mark.parametrize("url", ["ws://127.0.0.1:8701/ws", "ws://localhost:8701/ws"])
def test_loopback_upstream_is_reported(tmp_path: Path, url: str) -> None:
    document = _real()
    services = document["services"]
    assert isinstance(services, dict)
    services["exec_core"]["environment"]["EXEC_CORE__UPSTREAM__DATA_CORE_URL"] = url
    assert any("points at loopback" in m for m in _check(document, tmp_path))


def test_unconditional_depends_on_is_reported(tmp_path: Path) -> None:
    document = _real()
    services = document["services"]
    assert isinstance(services, dict)
    services["model_engine"]["depends_on"] = ["data_core"]
    assert "depends_on data_core without service_healthy" in _check(document, tmp_path)


def test_loopback_default_left_unset_is_reported(tmp_path: Path) -> None:
    document = _real()
    services = document["services"]
    assert isinstance(services, dict)
    del services["alert_system"]["environment"]["ALERT_SYSTEM__DELIVERY__EXEC_CORE_HTTP_URL"]
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(document))
    (tmp_path / "docker").symlink_to(ROOT / "docker")
    urls = loopback_urls(ROOT / ".env.example")
    messages = [f.message for f in errors(check_compose(path, NAMES, urls))]
    assert messages == [
        "ALERT_SYSTEM__DELIVERY__EXEC_CORE_HTTP_URL defaults to loopback: set it to a service name"
    ]
