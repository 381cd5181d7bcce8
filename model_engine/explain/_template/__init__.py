"""Template of an explainer: copy this function into ``explain/<method>.py``, rename, fill in.

An explainer answers one question: how much did each player (a feature over the whole window)
move the model's probability of class ``target`` for this window, relative to a base value?
The players and the output space are the same for every method, so the dashboard can put any
two explanations side by side.

Checklist:

1. A ``METHOD`` name (it is stored in ``Explanation.method`` and shown on the dashboard).
2. Serving path: numpy and onnxruntime only (``predict`` is the artifact's batched ONNX call);
   torch is for building amortised explainers at training time (``explain/build.py``).
3. Absent players take the background's values (``shapley.coalition_windows``); say whether
   ``base + sum(attributions) == output`` holds (Shapley methods: normalise with
   ``efficiency_normalise`` and report the gap) or not (then ``additivity_error=None``).
4. Serve it: on request, add the method to ``explain/ondemand.py`` (``explanation``) and to the
   accepted values of ``/api/signals/{id}/explanation?method=`` and ``ntx explain show --method``;
   on every signal, ``explain/runtime.py`` (``BundleExplainer``).
5. Test fidelity on real windows (``tests/unit/model_engine/explain/``) against the exact or
   KernelSHAP reference (``explain/reference.py``), and add it to ``ntx explain audit``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from model_engine.explain.shapley import PredictFn

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
METHOD = "template"


def template_attributions(
    predict: PredictFn, x: F32, background: F32, target: int, *, seed: int = 0
) -> tuple[F64, float]:
    """Return per-player attributions ``(features,)`` of class `target` and the base value.

    Parameters
    ----------
    predict
        Batched model: ``(m, window, features)`` -> ``(m, 3)`` probabilities.
    x
        ``(window, features)``: the window explained.
    background
        ``(b, window, features)``: reference windows from the training period.
    target
        Index of the explained class (0 down, 1 flat, 2 up).
    seed
        Seed of any sampling, so explanations repeat.
    """
    raise NotImplementedError("fill in the method")
