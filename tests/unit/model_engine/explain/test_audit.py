"""The audit's report on a tiny artifact (few windows, few reference samples)."""

from __future__ import annotations

from pathlib import Path

from feature_spec import DEFAULT_SPEC
from model_engine.explain.audit import run_audit
from model_engine.serving.bundle import load_bundle


def test_audit_reports_every_check(artifact: Path) -> None:
    home = artifact.parents[2]
    report = run_audit(load_bundle(artifact, DEFAULT_SPEC.names), home, windows=3, samples=128)
    assert report["players"] == 37
    assert report["windows"] == 3
    assert report["background"]["windows"] == 16
    assert -1.0 <= report["spearman_median"] <= 1.0
    assert 0.0 <= report["top3_agreement"] <= 1.0
    assert report["additivity_gap_served"]["max"] < 1e-6
    assert report["additivity_gap_raw"]["p50"] >= 0.0
    assert set(report["deletion"]) >= {"top_mean_move", "random_mean_move", "passes"}
    randomisation = report["randomisation"]
    assert "rebuilt for the randomised model" in randomisation["note"]  # the method, per model
    assert randomisation["passes"] == (randomisation["method_spearman_orig_vs_random"] < 0.5)
    assert any((home / "cache" / "reference").iterdir())  # reference cached by model sha256
