"""Golden messages: one per type, decoded and re-encoded byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from signal_schema import MESSAGE_TYPES, Envelope, Message, Signal
from tests.schema_factories import golden_envelopes

GOLDEN_DIR = Path(__file__).resolve().with_name("golden")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "messages.md"
TYPE_NAMES = sorted(cls.__name__ for cls in MESSAGE_TYPES)


def _golden(name: str) -> bytes:
    return (GOLDEN_DIR / f"{name}.json").read_bytes().removesuffix(b"\n")


def test_exactly_one_golden_file_per_message_type() -> None:
    files = sorted(p.stem for p in GOLDEN_DIR.glob("*.json"))
    assert files == TYPE_NAMES, "run `.venv/bin/python tests/contract/make_golden.py`"


@pytest.mark.parametrize("name", TYPE_NAMES)
def test_golden_decodes_and_reencodes_byte_for_byte(name: str) -> None:
    raw = _golden(name)
    envelope = Envelope.model_validate_json(raw)
    assert type(envelope.message).__name__ == name
    assert envelope.topic == envelope.message.TOPIC
    assert envelope.to_json() == raw


@pytest.mark.parametrize("name", TYPE_NAMES)
def test_golden_file_is_compact_with_one_trailing_newline(name: str) -> None:
    data = (GOLDEN_DIR / f"{name}.json").read_bytes()
    assert data.endswith(b"}\n")
    assert b"\n" not in data[:-1]
    assert b'": ' not in data, "store the compact bytes of to_json(), not pretty-printed JSON"


@pytest.mark.parametrize("name", TYPE_NAMES)
def test_golden_file_matches_its_factory(name: str) -> None:
    expected = golden_envelopes()[name].to_json()
    assert _golden(name) == expected, "run `.venv/bin/python tests/contract/make_golden.py`"


def test_golden_signal_attributions_add_up_within_stated_error() -> None:
    message = Envelope.model_validate_json(_golden("Signal")).message
    assert isinstance(message, Signal)
    explanation = message.explanation
    assert explanation.additivity_error is not None
    total = explanation.base_value + sum(a.attribution for a in explanation.attributions)
    assert abs(total - explanation.output_value) <= explanation.additivity_error + 1e-12
    assert len(explanation.attributions) >= 20
    assert explanation.output_value == message.probabilities.up


def _catalogue_rows() -> dict[str, str]:
    """Return type name -> its table row in the `## Catalogue` section of docs/messages.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("\n## Catalogue\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        match = re.match(r"^\|\s*`(\w+)`\s*\|", line)
        if match:
            rows[match.group(1)] = line
    return rows


@pytest.mark.parametrize("cls", MESSAGE_TYPES, ids=lambda cls: cls.__name__)
def test_docs_catalogue_lists_every_type_with_its_topic(cls: type[Message]) -> None:
    rows = _catalogue_rows()
    assert cls.__name__ in rows, f"docs/messages.md has no catalogue row for {cls.__name__}"
    assert f"`{cls.TOPIC}`" in rows[cls.__name__]


def test_docs_catalogue_has_no_row_for_an_unknown_type() -> None:
    assert sorted(_catalogue_rows()) == TYPE_NAMES
