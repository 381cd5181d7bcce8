"""`.env.example` documents every variable the services read, with their real defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from alert_system.settings import AlertSystemSettings
from data_core.settings import DataCoreSettings
from exec_core.settings import ExecCoreSettings
from model_engine.settings import ModelEngineSettings
from neurotradex.gateway.settings import GatewaySettings
from neurotradex.supervisor.settings import SupervisorSettings
from service_runtime import ServiceSettings, env_names

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
SETTINGS: dict[str, type[ServiceSettings]] = {
    "data_core": DataCoreSettings,
    "model_engine": ModelEngineSettings,
    "exec_core": ExecCoreSettings,
    "alert_system": AlertSystemSettings,
}
ALL_SETTINGS: dict[str, type[BaseSettings]] = {
    **SETTINGS,
    "gateway": GatewaySettings,
    "supervisor": SupervisorSettings,
}
PLAN_PORTS = {  # README.md component table: (bus, HTTP)
    "data_core": (8701, 8711),
    "model_engine": (8702, 8712),
    "exec_core": (8703, 8713),
    "alert_system": (8704, 8714),
}
SECRETS = {"NTX_BUS_TOKEN", "NTX_READ_TOKEN", "NTX_OPERATOR_TOKEN"}
TEST_TOKEN = "env-example-test-token"


@dataclass(frozen=True)
class Entry:
    """One ``NAME=value`` line and the comment lines right above it."""

    name: str
    value: str
    comment: str


def parse(text: str) -> list[Entry]:
    """Parse `.env.example`: comments, blank lines and ``NAME=value`` lines only."""
    entries: list[Entry] = []
    comment: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            comment = []
        elif line.startswith("#"):
            comment.append(line.lstrip("# ").strip())
        else:
            match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(\S*)", line)
            assert match, f".env.example:{number}: not NAME=value: {line!r}"
            entries.append(Entry(match[1], match[2], " ".join(comment)))
            comment = []
    return entries


ENTRIES = parse(ENV_EXAMPLE.read_text(encoding="utf-8"))
DOCUMENTED = {entry.name: entry for entry in ENTRIES}


def read_by_someone() -> set[str]:
    return set().union(*(env_names(settings) for settings in ALL_SETTINGS.values()))


def test_each_variable_appears_once_with_its_meaning_and_default() -> None:
    assert len(DOCUMENTED) == len(ENTRIES), "a variable is documented twice"
    for entry in ENTRIES:
        assert entry.comment, f"{entry.name} has no comment line"
        assert "default" in entry.comment, f"{entry.name}'s comment gives no default"


def test_secrets_are_left_empty() -> None:
    assert DOCUMENTED.keys() >= SECRETS
    assert {name: DOCUMENTED[name].value for name in SECRETS} == dict.fromkeys(SECRETS, "")


def test_prefix_exceptions_are_marked_as_such() -> None:
    for name, entry in DOCUMENTED.items():
        if name.startswith("NTX_"):
            assert entry.comment.startswith("Exception"), name


@pytest.mark.parametrize("component", ALL_SETTINGS)
def test_every_setting_is_documented(component: str) -> None:
    missing = env_names(ALL_SETTINGS[component]) - DOCUMENTED.keys()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_documented_variable_is_read() -> None:
    unread = DOCUMENTED.keys() - read_by_someone()
    assert not unread, f"no settings read: {sorted(unread)}"


def use_env(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for name in read_by_someone() | DOCUMENTED.keys():
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("service", SETTINGS)
def test_settings_build_from_the_example_and_its_values_are_the_defaults(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_type = SETTINGS[service]
    use_env(monkeypatch, example_env() | {"NTX_BUS_TOKEN": TEST_TOKEN})
    from_example = settings_type.load()
    use_env(monkeypatch, {"NTX_BUS_TOKEN": TEST_TOKEN})
    assert from_example == settings_type.load()
    assert (from_example.bus.port, from_example.http.port) == PLAN_PORTS[service]
    assert from_example.bus_token.get_secret_value() == TEST_TOKEN


def example_env() -> dict[str, str]:
    return {e.name: e.value for e in ENTRIES}


def test_supervisor_settings_build_from_the_example_with_their_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_env(monkeypatch, example_env())
    from_example = SupervisorSettings().model_dump(exclude={"home"})
    use_env(monkeypatch, {})
    assert from_example == SupervisorSettings().model_dump(exclude={"home"})


def test_gateway_settings_build_from_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    use_env(monkeypatch, example_env())
    settings = GatewaySettings()
    assert settings.http.port == 8700
    assert settings.upstream.services()["exec_core"].bus_url == "ws://127.0.0.1:8703/ws"
