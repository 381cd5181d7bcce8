"""Model-randomisation check of the amortised method: rebuild it for a randomised model.

An amortised explainer is trained for one model, so "do the attributions change when the
weights are randomised?" asks whether the *method* (train an explainer against that model's
Shapley values) gives different attributions for a randomised model, not whether the first
model's explainer does. Torch is needed here (as at artifact time), never when serving.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from model_engine.serving.bundle import ModelBundle, session

F32 = npt.NDArray[np.float32]


def rebuilt_for(
    bundle: ModelBundle,
    train: F32,
    background: F32,
    *,
    arch: str,
    path: Path,
    epochs: int = 100,
    seed: int = 0,
) -> ModelBundle:
    """Return `bundle` with an explainer of `arch` trained for it on `train` (ONNX at `path`).

    The result is explained by `BundleExplainer` exactly as a served artifact is.
    """
    from model_engine.explain.amortised import export_explainer, shapley_targets, train_explainer

    base = bundle.predict(background).astype(np.float64).mean(axis=0)
    targets = shapley_targets(bundle.predict, train, background, 2, seed)
    net = train_explainer(
        bundle.prepare(train), targets, bundle.predict(train), base, epochs=epochs, seed=seed,
        arch=arch, background=bundle.prepare(background),
    )  # fmt: skip
    export_explainer(net, path, bundle.window)
    return ModelBundle(**{**bundle.__dict__, "explainer": session(path)})


def arch_of(method: str) -> str | None:
    """Return the net of a ``fastshap-<arch>+efficiency`` method name, None for others."""
    if not method.startswith("fastshap-"):
        return None
    return method.removeprefix("fastshap-").split("+", 1)[0]
