"""Generate the committed JSON Schema: `python -m signal_schema.jsonschema --write`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from signal_schema.envelope import Envelope

SCHEMA_PATH = Path(__file__).with_name("envelope.schema.json")


def envelope_json_schema() -> dict[str, Any]:
    """Return the Envelope's JSON Schema as it is on the wire (serialization mode)."""
    return Envelope.model_json_schema(mode="serialization")


def render() -> str:
    """Render the schema exactly as committed (sorted keys, 2-space indent)."""
    return json.dumps(envelope_json_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema, or with --check fail when the committed file drifts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the committed file")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        return 0
    if SCHEMA_PATH.read_text(encoding="utf-8") != text:
        sys.stderr.write(f"{SCHEMA_PATH} is stale: run `make schema`\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
