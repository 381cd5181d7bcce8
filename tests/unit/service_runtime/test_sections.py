"""Sections become signal_bus settings; settings load from the environment or say why not."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsConfigDict

from service_runtime import (
    BusSection,
    BusUrl,
    HttpSection,
    LogSection,
    ServiceSettings,
    SettingsError,
    UpstreamSection,
    bus_server_settings,
    env_names,
    upstream_client_settings,
)

TOKEN = SecretStr("unit-test-bus-token")


class ToyUpstream(UpstreamSection):
    data_core_url: BusUrl = "ws://127.0.0.1:8701/ws"
    model_engine_url: BusUrl = "ws://127.0.0.1:8702/ws"


class ToySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TOY__")

    bus: BusSection = BusSection(port=8799)
    http: HttpSection = HttpSection(port=8798)
    upstream: ToyUpstream = ToyUpstream()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean environment for ToySettings with the bus token set."""
    for name in [*env_names(ToySettings), "TOY__BUS"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NTX_BUS_TOKEN", TOKEN.get_secret_value())
    return monkeypatch


def test_bus_section_becomes_bus_server_settings() -> None:
    section = BusSection(
        host="10.0.0.5", port=9001, queue_size=16, overflow="disconnect", max_frame_bytes=2048
    )
    server = bus_server_settings(section, TOKEN, accept_topics=("order.submit",))
    assert (server.host, server.port, server.queue_size) == ("10.0.0.5", 9001, 16)
    assert (server.overflow, server.max_frame_bytes) == ("disconnect", 2048)
    assert server.tokens == (TOKEN,)
    assert server.accept_topics == ("order.submit",)


def test_bus_section_defaults_match_the_plan() -> None:
    server = bus_server_settings(BusSection(port=8701), TOKEN)
    assert (server.host, server.port, server.queue_size) == ("127.0.0.1", 8701, 4096)
    assert (server.overflow, server.max_frame_bytes) == ("drop_oldest", 1_048_576)
    assert server.accept_topics == ()


def test_upstream_urls_become_one_client_each() -> None:
    clients = upstream_client_settings(ToyUpstream(), TOKEN, max_frame_bytes=4096)
    assert {name: c.url for name, c in clients.items()} == {
        "data_core": "ws://127.0.0.1:8701/ws",
        "model_engine": "ws://127.0.0.1:8702/ws",
    }
    assert all(c.token == TOKEN and c.max_frame_bytes == 4096 for c in clients.values())


def test_upstream_fields_must_be_urls() -> None:
    with pytest.raises(TypeError, match="must end in _url"):

        class Wrong(UpstreamSection):
            data_core: BusUrl = "ws://127.0.0.1:8701/ws"

    with pytest.raises(ValidationError):
        ToyUpstream(data_core_url="http://127.0.0.1:8701/ws")


def test_log_level_is_case_insensitive() -> None:
    assert LogSection(level="debug").level == "DEBUG"  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        LogSection(format="xml")  # type: ignore[arg-type]


def test_settings_load_defaults_and_partial_sections(env: pytest.MonkeyPatch) -> None:
    env.setenv("TOY__BUS__QUEUE_SIZE", "64")
    env.setenv("TOY__UPSTREAM__MODEL_ENGINE_URL", "ws://10.0.0.2:8702/ws")
    env.setenv("NTX_HOME", "~/ntx-home")
    settings = ToySettings.load()
    assert (settings.bus.port, settings.bus.queue_size) == (8799, 64)
    assert settings.http.port == 8798
    assert settings.upstream.urls()["model_engine"] == "ws://10.0.0.2:8702/ws"
    assert settings.upstream.urls()["data_core"] == "ws://127.0.0.1:8701/ws"
    assert not str(settings.home).startswith("~")
    assert settings.home.name == "ntx-home"
    assert settings.bus_token == TOKEN


def test_missing_token_names_the_variable(env: pytest.MonkeyPatch) -> None:
    env.delenv("NTX_BUS_TOKEN")
    with pytest.raises(SettingsError, match=r"NTX_BUS_TOKEN: not set \(the service-to-service"):
        ToySettings.load()


def test_invalid_value_names_the_variable(env: pytest.MonkeyPatch) -> None:
    env.setenv("TOY__BUS__PORT", "70000")
    with pytest.raises(SettingsError, match="TOY__BUS__PORT: Input should be less than"):
        ToySettings.load()


def test_unknown_variable_under_the_prefix_is_refused(env: pytest.MonkeyPatch) -> None:
    env.setenv("TOY__BUS__PROT", "8000")
    with pytest.raises(SettingsError, match=r"unknown settings.*TOY__BUS__PROT"):
        ToySettings.load()


def test_env_names_lists_every_variable() -> None:
    assert env_names(ToySettings) == {
        "TOY__BUS__HOST",
        "TOY__BUS__PORT",
        "TOY__BUS__QUEUE_SIZE",
        "TOY__BUS__OVERFLOW",
        "TOY__BUS__MAX_FRAME_BYTES",
        "TOY__HTTP__HOST",
        "TOY__HTTP__PORT",
        "TOY__HEARTBEAT__INTERVAL_SECS",
        "TOY__LOG__LEVEL",
        "TOY__LOG__FORMAT",
        "TOY__UPSTREAM__DATA_CORE_URL",
        "TOY__UPSTREAM__MODEL_ENGINE_URL",
        "NTX_HOME",
        "NTX_BUS_TOKEN",
        "NTX_READ_TOKEN",
    }
