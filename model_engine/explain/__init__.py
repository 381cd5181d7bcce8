"""Attributions for model_engine's signals (serving path: onnxruntime and numpy only).

Players are the spec's features: feature ``i`` of a window is present (its own values at every
step) or absent (the values of a background window). ``v(S)`` averages the model's output over
every background window, so Shapley values satisfy ``base + sum(phi) == f(x)`` exactly.
"""

from model_engine.explain.shapley import (
    PredictFn,
    additivity_gap,
    coalition_windows,
    dummy_players,
    efficiency_normalise,
    permutation_shapley,
)

__all__ = [
    "PredictFn",
    "additivity_gap",
    "coalition_windows",
    "dummy_players",
    "efficiency_normalise",
    "permutation_shapley",
]
