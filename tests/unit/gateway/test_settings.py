"""Gateway settings follow the plan's ports and env names."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from neurotradex.gateway import GatewaySettings
from service_runtime import HttpSection, LogSection

ENV_FILE = """\
GATEWAY__HTTP__PORT=9700
GATEWAY__UPSTREAM__EXEC_CORE_URL=ws://10.0.0.5:8703/ws
GATEWAY__UPSTREAM__EXEC_CORE_HTTP_URL=http://10.0.0.5:8713/
GATEWAY__RELAY__TOPICS=["signal.*","system.heartbeat"]
GATEWAY__RELAY__OVERFLOW=disconnect
GATEWAY__UPSTREAM__TIMEOUT_SECS=3.5
GATEWAY__LOG__FORMAT=
GATEWAY__DASHBOARD_DIR=/srv/dashboard
NTX_HOME=/srv/ntx
NTX_READ_TOKEN=read-from-env
NTX_OPERATOR_TOKEN=operator-from-env
NTX_BUS_TOKEN=bus-from-env
DATA_CORE__HTTP__PORT=8711
NTX_DATA_DIR=/srv/data
"""


def test_defaults_follow_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NTX_HOME")  # the test session's own
    settings = GatewaySettings.model_validate({})  # validates defaults only
    assert (settings.http.host, settings.http.port) == ("127.0.0.1", 8700)
    services = settings.upstream.services()
    assert {name: urls.http_url for name, urls in services.items()} == {
        "data_core": "http://127.0.0.1:8711",
        "model_engine": "http://127.0.0.1:8712",
        "exec_core": "http://127.0.0.1:8713",
        "alert_system": "http://127.0.0.1:8714",
    }
    assert services["alert_system"].bus_url == "ws://127.0.0.1:8704/ws"
    assert settings.relay.topics == ("*",)
    assert settings.home.is_absolute()
    assert settings.home.name == ".neurotradex"


def test_env_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NTX_HOME")  # the test session's own would win over the file
    env_file = tmp_path / ".env"
    env_file.write_text(ENV_FILE)
    settings = GatewaySettings(_env_file=env_file)
    assert settings.http.port == 9700
    exec_core = settings.upstream.services()["exec_core"]
    assert exec_core == ("http://10.0.0.5:8713", "ws://10.0.0.5:8703/ws")
    assert settings.relay.topics == ("signal.*", "system.heartbeat")
    assert settings.relay.overflow == "disconnect"
    assert settings.upstream.timeout_secs == 3.5
    assert settings.log.format == "json"  # an empty value counts as unset
    assert settings.dashboard_dir == Path("/srv/dashboard")
    assert settings.home == Path("/srv/ntx")
    assert settings.read_token == SecretStr("read-from-env")
    assert settings.operator_token == SecretStr("operator-from-env")
    assert settings.bus_token == SecretStr("bus-from-env")
    assert "from-env" not in repr(settings)


@pytest.mark.parametrize(
    "changes",
    [
        {"relay": {"topics": ["Not A Topic"]}},
        {"http": {"prot": 1}},
        {"upstream": {"exec_core_url": "http://wrong-scheme"}},
        {"read_token": "same", "operator_token": "same"},
    ],
)
def test_bad_settings_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GatewaySettings.model_validate(changes)


def test_empty_tokens_count_as_unset() -> None:
    settings = GatewaySettings(read_token=SecretStr(""), operator_token=None, bus_token=None)
    assert settings.read_token is None


def test_sections_are_the_runtimes_and_keep_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY__HTTP__HOST", "0.0.0.0")  # noqa: S104 - a container's bind
    monkeypatch.setenv("GATEWAY__LOG__LEVEL", "debug")
    settings = GatewaySettings()
    assert isinstance(settings.http, HttpSection)
    assert isinstance(settings.log, LogSection)
    assert (settings.http.host, settings.http.port) == ("0.0.0.0", 8700)  # noqa: S104
    assert (settings.log.level, settings.log.format) == ("DEBUG", "json")
