"""Model-randomisation check of the amortised method: rebuild it for a randomised model.

An amortised explainer is trained for one model, so "do the attributions change when the
weights are randomised?" asks whether the *method* (train an explainer against that model's
Shapley values) gives different attributions for a randomised model, not whether the first
model's explainer does. Torch is needed here (as at artifact time), never when serving.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from model_engine.explain.shapley import dummy_players, efficiency_normalise
from model_engine.serving.bundle import ModelBundle

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


def rebuilt_attributions(
    bundle: ModelBundle,
    train: F32,
    x: F32,
    background: F32,
    *,
    arch: str,
    epochs: int = 100,
    seed: int = 0,
) -> tuple[F64, npt.NDArray[np.int64]]:
    """Train an explainer of `arch` for `bundle` on `train` and explain `x` with it.

    Returns the served-space attributions ``(len(x), features)`` of each window's predicted
    class (dummy players exactly 0, efficiency-normalised as serving does) and those classes.
    """
    import torch

    from model_engine.explain.amortised import shapley_targets, train_explainer

    base = bundle.predict(background).astype(np.float64).mean(axis=0)
    targets = shapley_targets(bundle.predict, train, background, 2, seed)
    net = train_explainer(
        bundle.prepare(train), targets, bundle.predict(train), base, epochs=epochs, seed=seed,
        arch=arch, background=bundle.prepare(background),
    )  # fmt: skip
    with torch.no_grad():
        raw = net(torch.from_numpy(bundle.prepare(x))).numpy().astype(np.float64)
    fx = bundle.predict(x).astype(np.float64)
    free = ~dummy_players(x, background)
    phi = efficiency_normalise(np.where(free[..., None], raw, 0.0), base, fx, free)
    predicted = fx.argmax(axis=1)
    return phi[np.arange(len(x)), :, predicted], predicted


def arch_of(method: str) -> str | None:
    """Return the net of a ``fastshap-<arch>+efficiency`` method name, None for others."""
    if not method.startswith("fastshap-"):
        return None
    return method.removeprefix("fastshap-").split("+", 1)[0]
