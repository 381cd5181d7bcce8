"""Time-step Shapley values: exact efficiency, agreement with brute force, seeded sampling."""

from __future__ import annotations

from itertools import combinations
from math import factorial
from pathlib import Path

import numpy as np

from model_engine.explain.detail import StepExplanation
from model_engine.explain.sampling import (
    antithetic_walks,
    sampled_shapley,
    step_players,
    stratified_walks,
    walk_masks,
)
from model_engine.explain.steps import pairs_for, step_attributions

DASHBOARD_FIXTURE = Path(__file__).resolve().parents[4] / "dashboard_ui" / "test" / "steps.json"
WINDOW, FEATURES = 5, 3
ROW_W = np.array([0.5, -1.0, 2.0, 0.25, 0.0])


def additive(x: np.ndarray) -> np.ndarray:
    """Class 0 is a weighted sum of row means: each row's Shapley value is known in closed form."""
    s = x.mean(axis=2) @ ROW_W
    return np.stack([s, -s, np.zeros_like(s)], axis=1).astype(np.float32)


def interacting(x: np.ndarray) -> np.ndarray:
    """Rows 0-3 interact (pairs, triples, through tanh); row 4 is never read."""
    r = x.mean(axis=2).astype(np.float64)
    s = np.tanh(r[:, 0] + r[:, 1] * r[:, 2]) * r[:, 3] + r[:, 0] * r[:, 1] * r[:, 2]
    return np.stack([s, 2 * s, -s], axis=1).astype(np.float32)


def _data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(WINDOW, FEATURES)).astype(np.float32)
    return x, rng.normal(size=(3, WINDOW, FEATURES)).astype(np.float32)


def brute_force(model: object, x: np.ndarray, bg: np.ndarray, cls: int) -> np.ndarray:
    """Exact Shapley values of the rows by enumerating every coalition."""
    assert callable(model)

    def v(coalition: tuple[int, ...]) -> float:
        keep = np.zeros(WINDOW, dtype=bool)
        keep[list(coalition)] = True
        hybrid = np.where(keep[None, :, None], x[None], bg)
        return float(np.asarray(model(hybrid.astype(np.float32)))[:, cls].astype(np.float64).mean())

    phi = np.zeros(WINDOW)
    for i in range(WINDOW):
        others = [j for j in range(WINDOW) if j != i]
        for size in range(WINDOW):
            weight = factorial(size) * factorial(WINDOW - size - 1) / factorial(WINDOW)
            for s in combinations(others, size):
                phi[i] += weight * (v((*s, i)) - v(s))
    return phi


def test_walk_masks_grow_one_player_at_a_time_in_order() -> None:
    masks = walk_masks(np.array([[2, 0, 1]]))
    assert masks[0].tolist() == [
        [False, False, False],
        [False, False, True],
        [True, False, True],
        [True, True, True],
    ]


def test_an_additive_model_gets_its_closed_form_values_from_any_walks() -> None:
    x, bg = _data(1)
    exact = ROW_W * (x.mean(axis=1) - bg.mean(axis=2).mean(axis=0))
    owner = step_players(WINDOW, FEATURES)
    for walks in (
        stratified_walks(WINDOW, len(bg), 1, np.random.default_rng(0)),
        antithetic_walks(WINDOW, 1, np.random.default_rng(0)),
    ):
        est = sampled_shapley(additive, x, bg, owner, walks)
        np.testing.assert_allclose(est.phi[:, 0], exact, atol=1e-6)


def test_efficiency_is_exact_and_the_base_is_the_background_mean() -> None:
    x, bg = _data(2)
    got = step_attributions(interacting, x, bg, 1, pairs_per_background=1, seed=3)
    assert got.additivity_error < 1e-12
    assert np.isclose(got.base, interacting(bg)[:, 1].astype(np.float64).mean(), atol=1e-12)
    assert np.isclose(got.output, interacting(x[None])[0, 1], atol=1e-12)
    assert got.stderr is None  # one pair per background: no within-background spread
    assert got.windows == 2 * len(bg) * (WINDOW + 1)


def test_interacting_model_matches_brute_force_within_its_standard_error() -> None:
    x, bg = _data(4)
    exact = brute_force(interacting, x, bg, 0)
    got = step_attributions(interacting, x, bg, 0, pairs_per_background=200, seed=5)
    assert got.stderr is not None
    assert np.all(np.abs(got.phi - exact) <= 4 * got.stderr + 1e-9)
    assert got.phi[4] == 0.0  # a row the model never reads is a null player
    assert np.abs(got.phi - exact).max() < 0.01


def test_sampling_is_deterministic_under_a_seed() -> None:
    x, bg = _data(6)
    one = step_attributions(interacting, x, bg, 2, pairs_per_background=3, seed=11)
    two = step_attributions(interacting, x, bg, 2, pairs_per_background=3, seed=11)
    other = step_attributions(interacting, x, bg, 2, pairs_per_background=3, seed=12)
    assert np.array_equal(one.phi, two.phi)
    assert one.stderr is not None
    assert two.stderr is not None
    assert np.array_equal(one.stderr, two.stderr)
    assert not np.array_equal(one.phi, other.phi)


def test_the_budget_buys_at_least_one_pair_per_background() -> None:
    assert pairs_for(64, 16) == 1  # 2 * 16 * 65 = 2,080 windows already
    assert pairs_for(8, 16, budget=4096) == 14
    assert pairs_for(1000, 16, budget=10) == 1


def test_the_dashboards_fixture_is_a_real_additive_step_explanation() -> None:
    got = StepExplanation.model_validate_json(DASHBOARD_FIXTURE.read_text())
    total = got.base_value + sum(s.attribution for s in got.steps)
    assert abs(total - got.output_value) <= got.additivity_error + 1e-12
    assert [s.lag for s in got.steps] == list(range(len(got.steps) - 1, -1, -1))
