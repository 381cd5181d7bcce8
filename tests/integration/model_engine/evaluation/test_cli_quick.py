"""`ntx evaluate --quick --json` on real data: the JSON shape of the last line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model_engine.artifacts import MANIFEST_FILE, Manifest, read_manifest
from neurotradex.cli.app import app

KEYS = {
    "accuracy",
    "balanced_accuracy",
    "top_decile_accuracy",
    "rank_ic",
    "net_return_pct",
    "sharpe",
    "max_drawdown_pct",
}
MODELS = {"lstm", "transformer", "lightgbm", "logreg", "buy_and_hold", "repeat_last"}


def _artifact(folder: Path) -> Path:
    """Write a minimal lstm manifest (the fields `Manifest` requires) into `folder`."""
    stat = {"name": "f", "mean": 0.0, "std": 1.0}
    manifest = Manifest.model_validate(
        {
            "name": "x",
            "created_at": "2024-01-01T00:00:00+00:00",
            "model_family": "lstm",
            "spec_version": "0",
            "features": [stat],
            "normalisation": {"clip": 10.0},
            "window": 8,
            "label": {},
            "inputs": [{"name": "x", "shape": [-1, 8, 1]}],
            "outputs": [{"name": "p", "shape": [-1, 3]}],
            "opset": 17,
            "training": {
                "symbols": ["BTC/USDT"],
                "timeframe": "1h",
                "since_ms": 0,
                "until_ms": 1,
                "train_windows": 1,
                "val_windows": 1,
                "val_from_ms": 1,
            },
            "data_fingerprint": "0" * 64,
        }
    )
    folder.mkdir()
    (folder / MANIFEST_FILE).write_text(manifest.model_dump_json())
    return folder


def test_quick_evaluate_prints_the_documented_json(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    artifact = _artifact(tmp_path / "v0001")
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            "--symbols",
            "BTC/USDT",
            "--timeframe",
            "1h",
            "--horizon",
            "1h",
            "--quick",
            "--json",
            "--report",
            str(report),
            "--artifact",
            str(artifact),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert set(summary["models"]) >= MODELS
    for metrics in summary["models"].values():
        assert set(metrics) >= KEYS
    assert summary["models"]["buy_and_hold"]["rank_ic"] is None
    assert summary["oos_start"].startswith("2021-01-01T00:00")
    assert summary["oos_end"] < "2021-04-01"
    assert len(summary["folds"]) == 1
    assert "| lightgbm |" in report.read_text()
    entry = read_manifest(artifact).walk_forward  # the gate's input
    assert entry is not None
    assert entry["model"] == "lstm"
    assert entry["sharpe"] == summary["models"]["lstm"]["sharpe"]
    hold = summary["models"]["buy_and_hold"]["sharpe"]  # the same test bars, always long
    assert entry["by_symbol"]["BTC/USDT"]["buy_and_hold_sharpe"] == hold
    assert entry["sharpe_over_buy_and_hold"] == pytest.approx(entry["sharpe"] - hold)
    assert summary["models"]["buy_and_hold"]["rules"][0]["always_long"]
