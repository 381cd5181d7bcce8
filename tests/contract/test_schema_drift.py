"""The committed JSON Schema is what the models generate, and it describes the wire."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signal_schema import MESSAGE_TYPES, SCHEMA_VERSION
from signal_schema.jsonschema import SCHEMA_PATH, main, render
from tests.schema_factories import golden_envelopes


def _committed() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def test_committed_schema_is_up_to_date() -> None:
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == render(), f"{SCHEMA_PATH.name} is stale: run `make schema`"


def test_check_mode_fails_on_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "envelope.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr("signal_schema.jsonschema.SCHEMA_PATH", stale)
    assert main([]) == 1
    assert main(["--write"]) == 0
    assert main([]) == 0
    assert stale.read_text(encoding="utf-8") == render()


def test_schema_is_in_serialization_mode() -> None:
    defs = _committed()["$defs"]
    assert defs["Bar"]["properties"]["close"]["type"] == "string"
    assert "pattern" in defs["Bar"]["properties"]["close"]
    assert defs["OrderFilled"]["properties"]["slippage_bps"]["anyOf"][0]["type"] == "string"
    assert defs["Bar"]["properties"]["ts_event"] == {
        "format": "date-time",
        "title": "Ts Event",
        "type": "string",
    }


def test_schema_discriminates_every_type_and_pins_the_version() -> None:
    schema = _committed()
    mapping = schema["properties"]["message"]["discriminator"]["mapping"]
    assert sorted(mapping) == sorted(cls.__name__ for cls in MESSAGE_TYPES)
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


@pytest.mark.parametrize("name", sorted(golden_envelopes()))
def test_every_emitted_key_is_a_required_property(name: str) -> None:
    """Every key `to_json()` writes is declared and required, so generated types need no `?`."""
    schema = _committed()
    emitted = json.loads(golden_envelopes()[name].to_json())
    assert sorted(emitted) == sorted(schema["required"]) == sorted(schema["properties"])
    message_def = schema["$defs"][name]
    assert sorted(emitted["message"]) == sorted(message_def["required"])
    assert sorted(emitted["message"]) == sorted(message_def["properties"])
