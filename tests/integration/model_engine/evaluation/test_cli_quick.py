"""`ntx evaluate --quick --json` on real data: the JSON shape of the last line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

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


def test_quick_evaluate_prints_the_documented_json(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
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
