"""Artifact verification, and the signal store's queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from feature_spec import DEFAULT_SPEC
from model_engine.errors import OperationalError
from model_engine.serving.bundle import load_bundle, newest_versions
from model_engine.serving.engine import InferenceEngine
from model_engine.serving.models import GuardConfig, ModelRegistry
from model_engine.signals_store import SignalStore
from tests.unit.model_engine.serving.conftest import frame


def test_a_tampered_explainer_is_refused(artifact: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(artifact, copy)
    with (copy / "explainer.npz").open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(OperationalError, match="sha256"):
        load_bundle(copy)


def test_other_features_are_refused(artifact: Path) -> None:
    with pytest.raises(OperationalError, match="features"):
        load_bundle(artifact, DEFAULT_SPEC.names[:-1])


def test_newest_version_wins(artifact: Path, tmp_path: Path) -> None:
    for version in ("v1", "v2"):
        target = tmp_path / "models" / "m" / version
        shutil.copytree(artifact, target)
    assert newest_versions(tmp_path)["m"].name == "v2"
    assert json.loads((artifact / "manifest.json").read_text())["explainer"]["expected_value"]


def test_store_queries_by_id_symbol_and_time(artifact: Path, rows: np.ndarray) -> None:
    registry = ModelRegistry(GuardConfig(), DEFAULT_SPEC.names)
    registry.swap(load_bundle(artifact))
    engine = InferenceEngine(
        registry, DEFAULT_SPEC.names, lambda: frame("A/USDT", 0, rows[0]).ts_init
    )
    scored = []
    for bar in range(registry.max_window + 2):
        scored += engine.score([frame(s, bar, rows[bar]) for s in ("A/USDT", "B/USDT")]).signals
    store = SignalStore(":memory:")
    store.add(scored, np.stack([np.zeros((8, 37), np.float32)] * len(scored)), [0.1] * len(scored))
    first = scored[0]
    got = store.get(first.signal_id)
    assert got is not None
    assert got.signal == first
    assert got.raw_gap == 0.1
    assert got.window is not None
    assert got.window.shape == (8, 37)
    assert {s.symbol for s in store.query(symbol="B/USDT")} == {"B/USDT"}
    start_ms = int(scored[-1].ts_event.timestamp() * 1000)
    assert {s.ts_event for s in store.query(start_ms=start_ms)} == {scored[-1].ts_event}
    assert store.get("missing") is None
