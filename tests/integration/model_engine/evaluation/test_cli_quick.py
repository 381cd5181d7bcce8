"""`ntx evaluate --quick --json` on real data: the JSON shape of the last line."""

from __future__ import annotations

import json
import re
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
BAND = 1 / 3  # the protocol's flat fraction, as `ntx train` records it
FIT: dict[str, object] = {"horizon_bars": 1, "flat_fraction": BAND}
PAIR = ("BTC/USDT", "ETH/USDT")
MODELS = {"lstm", "transformer", "lightgbm", "logreg", "buy_and_hold", "repeat_last"}


def _artifact(
    folder: Path,
    label: dict[str, object] | None = None,
    config: dict[str, object] | None = None,
    symbols: tuple[str, ...] = ("BTC/USDT",),
) -> Path:
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
            "label": label or {"flat_fraction": BAND},
            "inputs": [{"name": "x", "shape": [-1, 8, 1]}],
            "outputs": [{"name": "p", "shape": [-1, 3]}],
            "opset": 17,
            "training": {
                "symbols": list(symbols),
                "timeframe": "1h",
                "since_ms": 0,
                "until_ms": 1,
                "train_windows": 1,
                "val_windows": 1,
                "val_from_ms": 1,
            },
            "data_fingerprint": "0" * 64,
            "config": config or {},
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
    for metrics in summary["models"].values():  # one fold: its year is the whole run
        year = metrics["years"]["2021"]
        assert set(metrics["years"]) == {"2021"}
        assert year["net_return_pct"] == pytest.approx(metrics["net_return_pct"])
        assert year["sharpe"] == pytest.approx(metrics["sharpe"])
    assert "Per test year, Sharpe (net return %)" in report.read_text()
    entry = read_manifest(artifact).walk_forward  # the gate's input
    assert entry is not None
    assert entry["model"] == "lstm"
    assert entry["sharpe"] == summary["models"]["lstm"]["sharpe"]
    hold = summary["models"]["buy_and_hold"]["sharpe"]  # the same test bars, always long
    assert entry["by_symbol"]["BTC/USDT"]["buy_and_hold_sharpe"] == hold
    assert entry["sharpe_over_buy_and_hold"] == pytest.approx(entry["sharpe"] - hold)
    assert summary["models"]["buy_and_hold"]["rules"][0]["always_long"]
    ensemble = summary["comparisons"]["dl_ensemble"]
    assert set(ensemble) == {"lightgbm", "logreg", "buy_and_hold", "repeat_last"}
    lead = ensemble["buy_and_hold"]["sharpe"]
    assert lead["diff"] == pytest.approx(summary["models"]["dl_ensemble"]["sharpe"] - hold)
    assert lead["low"] <= lead["high"]
    assert ensemble["buy_and_hold"]["rank_ic"] is None  # a constant score has no rank IC
    assert "| dl_ensemble | buy_and_hold |" in report.read_text()


@pytest.mark.parametrize(
    ("dev", "folder"), [(False, "reports"), (True, "reports/dev")], ids=["test", "dev"]
)
def test_reports_go_to_ntx_home_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dev: bool, folder: str
) -> None:
    monkeypatch.setenv("NTX_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # nothing lands in the working directory
    args = ["evaluate", "--symbols", "BTC/USDT", "--horizon", "1h", "--quick"]
    args += ["--models", "buy_and_hold", "--set", "pool=[]", "--json", *(["--dev"] if dev else [])]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = tmp_path / "home" / folder / "BTC_USDT-1h-h1h-quick.md"
    assert json.loads(result.output.strip().splitlines()[-1])["report"] == str(report)
    assert "| buy_and_hold |" in report.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["home"]


def test_dev_fold_and_overrides_reach_the_run(tmp_path: Path) -> None:
    report = tmp_path / "dev.md"
    args = ["evaluate", "--symbols", "ETH/USDT", "--horizon", "12h", "--quick", "--dev"]
    args += ["--models", "lightgbm,buy_and_hold", "--set", "lgbm_estimators=20"]
    result = CliRunner().invoke(app, [*args, "--json", "--report", str(report)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["oos_start"].startswith("2020-01-01T00:00")
    assert summary["oos_end"] < "2020-04-01"
    assert set(summary["models"]) == {"lightgbm", "buy_and_hold"}
    text = report.read_text()
    assert "`oos_start=2020-01-01`" in text
    assert "`lgbm_estimators=20`" in text


def test_a_bad_override_is_refused_before_any_work() -> None:
    result = CliRunner().invoke(app, ["evaluate", "--quick", "--set", "dl.windw=3"])
    assert result.exit_code == 2
    assert "unknown setting 'windw'" in result.output


@pytest.mark.parametrize(
    ("extra", "message", "label", "symbols"),
    [
        (["--dev"], "dev fold's metrics never go into an artifact", FIT, PAIR[:1]),
        (["--horizon", "12h"], "predicts 1 bars ahead, not 12h", FIT, PAIR[:1]),
        (["--timeframe", "5m", "--horizon", "1h"], "trained on 1h bars, not 5m", FIT, PAIR[:1]),
        (
            ["--horizon", "1h"],
            "evaluate it with --set dl.hidden=64 --set dl.skip=false",
            FIT,
            PAIR[:1],
        ),
        (
            ["--horizon", "1h", "--set", "labels=triple_barrier"],
            "trained on fixed labels, not triple_barrier: evaluate it with --set labels=fixed",
            FIT,
            PAIR[:1],
        ),
        (
            ["--horizon", "1h"],
            "labelled with a fixed 20.0 bps flat band; the protocol's band holds 33% of each "
            "symbol's training labels: train it with --flat-fraction 0.3333",
            {"horizon_bars": 1, "flat_band_bps": 20.0},
            PAIR[:1],
        ),
        (
            ["--horizon", "1h", "--set", "flat_fraction=0.2"],
            "evaluate it with --set flat_fraction=0.3333333333333333",
            FIT,
            PAIR[:1],
        ),
        (
            ["--horizon", "1h", "--set", 'pool=["BTC/USDT","ETH/USDT"]'],
            "trained on BTC/USDT alone, not on the protocol's pool (BTC/USDT, ETH/USDT): "
            "evaluate it with --set 'pool=[]'",
            FIT,
            PAIR[:1],
        ),
        (
            ["--horizon", "1h"],
            "trained on BTC/USDT, ETH/USDT, not on the protocol's pool (each symbol alone): "
            'evaluate it with --set \'pool=["BTC/USDT","ETH/USDT"]\'',
            FIT,
            PAIR,
        ),
        (
            ["--horizon", "1h", "--set", "normalise=per_pair"],
            "with one normaliser over all of them, not one per pair: evaluate it with "
            "--set normalise=pooled",
            FIT,
            PAIR,
        ),
    ],
)
def test_metrics_that_do_not_describe_the_artifact_are_refused(
    tmp_path: Path,
    extra: list[str],
    message: str,
    label: dict[str, object],
    symbols: tuple[str, ...],
) -> None:
    config: dict[str, object] = {"hidden": 64, "skip": False} if "--dev" not in extra else {}
    artifact = _artifact(tmp_path / "v0001", label, config, symbols)
    before = (artifact / "manifest.json").read_bytes()
    args = ["evaluate", "--quick", "--artifact", str(artifact), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())
    assert (artifact / "manifest.json").read_bytes() == before


def test_an_artifact_trained_on_the_pool_takes_the_pooled_protocols_metrics(
    tmp_path: Path,
) -> None:
    artifact = _artifact(tmp_path / "v0001", FIT, {"hidden": 8}, PAIR)
    args = ["evaluate", "--symbols", "BTC/USDT", "--horizon", "1h", "--quick", "--json"]
    args += ["--models", "lstm,buy_and_hold", "--artifact", str(artifact)]
    args += ["--set", 'pool=["BTC/USDT","ETH/USDT"]', "--report", str(tmp_path / "r.md")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    entry = read_manifest(artifact).walk_forward
    assert entry is not None
    assert entry["protocol"]["pool"] == list(PAIR)
    assert entry["protocol"]["normalise"] == "pooled"
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert entry["sharpe"] == summary["models"]["lstm"]["sharpe"]
    assert "one normaliser fitted on all their training rows" in (tmp_path / "r.md").read_text()
