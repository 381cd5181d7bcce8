"""OOD score, attribution drift, LIME and rank metrics."""

from __future__ import annotations

import numpy as np

from model_engine.explain.drift import DriftMonitor
from model_engine.explain.lime import lime_attributions
from model_engine.explain.metrics import spearman, top_k_agreement
from model_engine.explain.ood import OodScorer, summarise


def _train(rng: np.random.Generator) -> np.ndarray:
    w = rng.normal(size=(300, 8, 4)).astype(np.float32)
    w[:, :, 3] = 0.0  # a news column without news
    return w


def test_ood_scores_shifted_windows_high_and_ignores_quiet_news() -> None:
    rng = np.random.default_rng(0)
    scorer = OodScorer(summarise(_train(rng)))
    normal = _train(rng)[:20]
    shifted = normal + np.array([8.0, 0, 0, 0], dtype=np.float32)
    assert np.median(scorer.score(normal)) < 1.0
    assert scorer.score(shifted).min() > 2.0
    assert not scorer.active[3]  # constant in training: no news is not an anomaly


def test_drift_breaches_once_when_the_profile_moves() -> None:
    monitor = DriftMonitor(np.array([1.0, 1.0, 0.0]), window=10, threshold=0.3, min_signals=5)
    assert not monitor.update(np.tile([0.5, -0.5, 0.0], (10, 1)))
    assert monitor.score < 1e-9
    assert monitor.update(np.tile([0.0, 0.1, 1.0], (10, 1)))
    assert monitor.score > 0.3
    assert not monitor.update(np.tile([0.0, 0.1, 1.0], (2, 1)))  # still breached: no repeat


def test_lime_ranks_the_driving_feature_first() -> None:
    weights = np.array([3.0, 0.2, -1.0], dtype=np.float32)

    def model(x: np.ndarray) -> np.ndarray:
        s = 1 / (1 + np.exp(-(x.mean(axis=1) @ weights)))
        return np.stack([s, 1 - s, 0 * s], axis=1).astype(np.float32)

    x = np.ones((4, 3), dtype=np.float32)
    bg = np.zeros((4, 4, 3), dtype=np.float32)
    coef, _ = lime_attributions(model, x, bg, target=0)
    assert int(np.argmax(np.abs(coef))) == 0
    assert coef[2] < 0 < coef[0]


def test_spearman_handles_ties_and_top_k() -> None:
    a = np.array([0.0, 0.0, 1.0, 2.0])
    assert np.isclose(spearman(a, a * 3), 1.0)
    assert np.isclose(spearman(a, -a), -1.0)
    assert top_k_agreement(np.array([3, 2, 1, 0.0]), np.array([3, 1, 2, 0.0]), k=2) == 0.5
