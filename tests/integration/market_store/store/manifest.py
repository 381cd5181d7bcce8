"""The shared data's MANIFEST.json: what each real candle file holds."""

from __future__ import annotations

import json
from typing import Any

from tests.data_paths import data_dir


def candle_entries(timeframe: str) -> dict[str, dict[str, Any]]:
    """Return the manifest's OHLCV entries of a timeframe, by file name."""
    manifest = json.loads((data_dir() / "MANIFEST.json").read_text())
    return {
        entry["file"].rsplit("/", 1)[-1]: entry
        for entry in manifest["files"]
        if entry["kind"] == "ohlcv" and entry["timeframe"] == timeframe
    }
