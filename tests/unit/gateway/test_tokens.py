"""Tokens come from the environment, else from a 0600 file that is generated once and reused."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest
from pydantic import SecretStr

from neurotradex.gateway import (
    ApiTokens,
    GatewaySettings,
    OperationalError,
    build_gateway,
    resolve_tokens,
)


def _settings(home: Path, read: str | None = None, operator: str | None = None) -> GatewaySettings:
    return GatewaySettings(
        home=home,
        read_token=SecretStr(read) if read else None,
        operator_token=SecretStr(operator) if operator else None,
        bus_token=None,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_tokens_are_generated_into_a_private_file(tmp_path: Path) -> None:
    home = tmp_path / "ntx-home"
    resolved = resolve_tokens(_settings(home))
    assert resolved.created
    assert resolved.file == home / "tokens.json"
    assert _mode(resolved.file) == 0o600
    stored = orjson.loads(resolved.file.read_bytes())
    assert stored == {
        "read": resolved.tokens.read.get_secret_value(),
        "operator": resolved.tokens.operator.get_secret_value(),
    }
    assert len(stored["read"]) >= 40
    assert stored["read"] != stored["operator"]


def test_the_file_is_reused_on_later_starts(tmp_path: Path) -> None:
    first = resolve_tokens(_settings(tmp_path))
    second = resolve_tokens(_settings(tmp_path))
    assert not second.created
    assert second.tokens == first.tokens
    assert second.file == first.file


def test_a_readable_file_is_restricted_to_0600(tmp_path: Path) -> None:
    path = resolve_tokens(_settings(tmp_path)).file
    assert path is not None
    path.chmod(0o644)
    resolve_tokens(_settings(tmp_path))
    assert _mode(path) == 0o600


def test_environment_tokens_win_and_need_no_file(tmp_path: Path) -> None:
    resolved = resolve_tokens(_settings(tmp_path, read="r-token", operator="o-token"))
    assert resolved.file is None
    assert resolved.tokens.level_of("r-token") == "read"
    assert resolved.tokens.level_of("o-token") == "operator"
    assert not (tmp_path / "tokens.json").exists()


def test_one_environment_token_overrides_its_half_of_the_file(tmp_path: Path) -> None:
    generated = resolve_tokens(_settings(tmp_path)).tokens
    resolved = resolve_tokens(_settings(tmp_path, operator="o-token"))
    assert resolved.file == tmp_path / "tokens.json"
    assert resolved.tokens.read == generated.read
    assert resolved.tokens.operator.get_secret_value() == "o-token"


@pytest.mark.parametrize(
    "content", [b"not json", b"[]", b'{"read": "x"}', b'{"read": 1, "operator": ""}']
)
def test_an_unreadable_file_stops_the_start(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "tokens.json").write_bytes(content)
    with pytest.raises(OperationalError, match=r"tokens\.json"):
        resolve_tokens(_settings(tmp_path))


@pytest.mark.parametrize(
    ("presented", "level"),
    [
        ("r-token", "read"),
        ("o-token", "operator"),
        ("r-token ", None),
        ("", None),
        (None, None),
        ("é", None),
    ],
)
def test_level_of(presented: str | None, level: str | None) -> None:
    tokens = ApiTokens(SecretStr("r-token"), SecretStr("o-token"))
    assert tokens.level_of(presented) == level


def test_build_gateway_reports_where_the_tokens_are(tmp_path: Path) -> None:
    app, token_file = build_gateway(_settings(tmp_path))
    assert token_file == tmp_path / "tokens.json"
    assert _mode(token_file) == 0o600
    assert app.openapi()["info"]["title"] == "NeuroTradeX gateway"
