"""Grouped Shapley values: exactness on a model with known values, additivity, dummies."""

from __future__ import annotations

import numpy as np

from model_engine.explain.shapley import (
    additivity_gap,
    dummy_players,
    efficiency_normalise,
    permutation_shapley,
)

W = np.array([0.5, -1.0, 2.0, 0.0], dtype=np.float32)


def linear(x: np.ndarray) -> np.ndarray:
    """Additive model: class 0 score is a weighted sum of window means."""
    s = x.mean(axis=1) @ W
    return np.stack([s, -s, np.zeros_like(s)], axis=1).astype(np.float32)


def test_permutation_shapley_is_exact_for_an_additive_model() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    bg = rng.normal(size=(5, 6, 4)).astype(np.float32)
    phi, base, fx = permutation_shapley(linear, x, bg, 2, rng)
    expected = W * (x.mean(axis=0) - bg.mean(axis=1).mean(axis=0))
    np.testing.assert_allclose(phi[:, 0], expected, atol=1e-5)
    np.testing.assert_allclose(base + phi.sum(axis=0), fx, atol=1e-5)


def test_interactions_still_sum_to_the_output() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    bg = rng.normal(size=(3, 6, 4)).astype(np.float32)

    def product(z: np.ndarray) -> np.ndarray:
        m = z.mean(axis=1)
        s = m[:, 0] * m[:, 1] + np.tanh(m[:, 2])
        return np.stack([s, s, s], axis=1).astype(np.float32)

    phi, base, fx = permutation_shapley(product, x, bg, 4, rng)
    assert np.abs(base + phi.sum(axis=0) - fx).max() < 1e-5
    assert abs(phi[3, 0]) < 1e-6  # feature 3 is never used


def test_efficiency_normalise_spreads_the_gap_over_free_players_only() -> None:
    phi = np.array([[[0.1], [0.2], [0.0]]])
    free = np.array([[True, True, False]])
    out = efficiency_normalise(phi, np.array([[0.3]]), np.array([[0.9]]), free)
    assert out[0, 2, 0] == 0.0
    assert np.isclose(0.3 + out[0, :, 0].sum(), 0.9)


def test_dummy_players_are_features_equal_in_every_background() -> None:
    bg = np.zeros((3, 5, 2), dtype=np.float32)
    bg[:, :, 0] = np.arange(3)[:, None]
    x = np.ones((5, 2), dtype=np.float32)
    x[:, 1] = 0.0
    assert dummy_players(x, bg).tolist() == [False, True]


def test_additivity_gap_is_relative_with_a_floor() -> None:
    gap = additivity_gap(np.array([0.1, 0.1]), 0.5, 0.8)
    assert np.isclose(gap, 0.1 / 0.3)
    assert np.isclose(additivity_gap(np.array([0.0]), 0.5, 0.5), 0.0)
    assert np.isclose(additivity_gap(np.array([0.001]), 0.5, 0.5), 0.1)
