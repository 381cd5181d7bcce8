"""`ntx bench explain`'s report on a tiny artifact (few windows): every key, the budget named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.explain import run_explain_bench


def test_the_bench_reports_its_goals_and_the_explainers_budget(
    artifact: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NTX_HOME", str(artifact.parents[2]))
    report = run_explain_bench(windows=4, reference_windows=2)
    manifest = json.loads((artifact / "manifest.json").read_text())
    assert report["method"] == manifest["explainer"]["method"]
    assert report["explainer_targets"] == manifest["explainer"]["targets"]
    assert (report["windows"], report["reference_windows"], report["players"]) == (4, 2, 37)
    assert report["additivity_gap_p99"] < 1e-6  # served attributions are exactly additive
    assert 0.0 < report["p50_ms"] <= report["p99_ms"]
    assert -1.0 <= report["rank_corr_vs_reference"] <= 1.0
