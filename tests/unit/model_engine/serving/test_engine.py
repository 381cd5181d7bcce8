"""Scoring: a signal per stream per full-window bar, batched, hot-swappable, guarded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from feature_spec import DEFAULT_SPEC
from model_engine.serving.bundle import load_bundle
from model_engine.serving.engine import InferenceEngine, utc_now
from model_engine.serving.models import GuardConfig, ModelRegistry
from tests.unit.model_engine.serving.conftest import frame

SYMBOLS = ("BTC/USDT", "ETH/USDT", "SOL/USDT")


def _engine(artifact: Path, **guard: float) -> InferenceEngine:
    registry = ModelRegistry(GuardConfig(**guard), DEFAULT_SPEC.names)  # type: ignore[arg-type]
    registry.swap(load_bundle(artifact, DEFAULT_SPEC.names))
    return InferenceEngine(registry, DEFAULT_SPEC.names, utc_now)


def test_every_full_window_bar_gives_an_explained_signal(artifact: Path, rows: np.ndarray) -> None:
    engine = _engine(artifact)
    window = engine.registry.max_window
    counts = []
    for bar in range(window + 3):
        scored = engine.score([frame(s, bar, rows[bar + 5 * i]) for i, s in enumerate(SYMBOLS)])
        counts.append(len(scored.signals))
        for signal in scored.signals:
            e = signal.explanation
            total = e.base_value + sum(a.attribution for a in e.attributions)
            assert abs(total - e.output_value) < 1e-6
            assert abs(e.output_value - signal.confidence) < 1e-5
            assert len(e.attributions) == 37
            assert e.method.startswith("fastshap")
            assert signal.horizon_bars == 4
            assert signal.ood_score >= 0
    assert counts == [0] * (window - 1) + [3] * 4


def test_hot_swap_between_bars_drops_nothing(
    artifact: Path, rows: np.ndarray, tmp_path: Path
) -> None:
    engine = _engine(artifact)
    window = engine.registry.max_window
    newer = tmp_path / "models" / "lstm-small" / "v9"
    shutil.copytree(artifact, newer)
    manifest = json.loads((newer / "manifest.json").read_text())
    (newer / "manifest.json").write_text(json.dumps({**manifest, "version": "v9"}))
    versions = []
    for bar in range(window + 4):
        if bar == window + 1:
            assert engine.registry.refresh(tmp_path) == ["lstm-small"]
        scored = engine.score([frame(s, bar, rows[bar]) for s in SYMBOLS])
        versions += [s.model.version for s in scored.signals]
    assert len(versions) == 3 * 5
    assert versions[-3:] == ["v9"] * 3
    assert versions[0] != "v9"


def test_unknown_inputs_are_flagged_but_still_published(artifact: Path, rows: np.ndarray) -> None:
    engine = _engine(artifact, ood_threshold=1.0)
    window = engine.registry.max_window
    for bar in range(window - 1):
        engine.score([frame("BTC/USDT", bar, rows[bar])])
    wild = rows[window].copy()
    wild[:27] *= 50.0
    scored = engine.score([frame("BTC/USDT", window - 1, wild)])
    assert len(scored.signals) == 1
    assert scored.signals[0].ood_flag
    assert scored.signals[0].ood_score > 1.0


def test_drift_publishes_a_breach(artifact: Path, rows: np.ndarray) -> None:
    engine = _engine(artifact, drift_threshold=0.01, drift_window=5, drift_min_signals=2)
    breaches = []
    for bar in range(engine.registry.max_window + 3):
        breaches += engine.score([frame(s, bar, rows[bar] * 3) for s in SYMBOLS]).breaches
    assert len(breaches) == 1
    assert breaches[0].limit == "attribution_drift"
    assert breaches[0].value > 0.01
