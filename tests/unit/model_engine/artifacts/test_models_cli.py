"""`ntx models` shows each artifact's holdout figures: accuracy against the majority class,
log loss against the training class prior; artifacts from before ``prior_log_loss`` still list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model_engine.artifacts import write_artifact
from neurotradex.cli.app import app
from neurotradex.cli.models import MISSING
from tests.unit.model_engine.artifacts.test_store import staged

NEW = {"accuracy": 0.412, "majority_accuracy": 0.355, "log_loss": 1.0812, "prior_log_loss": 1.0987}
OLD = {"accuracy": 0.374, "majority_accuracy": 0.405, "log_loss": 1.0944}  # no prior_log_loss


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NTX_HOME with an old artifact (no prior_log_loss) and a new one."""
    for name, metrics in (("old", OLD), ("new", {**NEW, "n_windows": 100.0})):
        (tmp_path / name).mkdir()
        stage, manifest = staged(tmp_path / name)
        write_artifact(tmp_path, name, stage, manifest.model_copy(update={"metrics": metrics}))
    monkeypatch.setenv("NTX_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "300")  # one table row per artifact, no wrapping
    return tmp_path


def test_json_rows_carry_the_four_figures_and_null_for_a_missing_prior(home: Path) -> None:
    listed = CliRunner().invoke(app, ["models", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output.strip().splitlines()[-1])["models"]
    new, old = rows["new/v0001"], rows["old/v0001"]
    assert {k: new[k] for k in NEW} == NEW
    assert new["metrics"]["n_windows"] == 100.0  # the whole metrics block stays
    assert {k: old[k] for k in NEW} == {**OLD, "prior_log_loss": None}


def test_the_table_shows_them_and_a_dash_for_a_missing_prior(home: Path) -> None:
    listed = CliRunner().invoke(app, ["models"])
    assert listed.exit_code == 0, listed.output
    assert "prior log loss" in listed.output
    lines = {line.split("│")[1].strip(): line for line in listed.output.splitlines() if "│" in line}
    for figure in ("0.412", "0.355", "1.081", "1.099"):
        assert figure in lines["new"]
    assert "1.094" in lines["old"]
    assert MISSING in lines["old"]
    assert MISSING not in lines["new"]
