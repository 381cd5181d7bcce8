"""Explain a batch of windows on the serving path: one model call, one explainer call.

The amortised explainer (``explainer.onnx``) predicts grouped Shapley values of every class;
dummy players (identical to every background window) get exactly 0, then the efficiency
normalisation spreads the remaining gap so that ``base + sum(phi) == f(x)`` in the stated
output space. The raw (pre-normalisation) gap is kept so fidelity stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model_engine.explain.shapley import (
    additivity_gap,
    dummy_players,
    efficiency_normalise,
    permutation_shapley,
)
from model_engine.serving.bundle import ModelBundle

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
OUTPUT_SPACE = "probability of the predicted class"
FASTSHAP = "fastshap-conv1d+efficiency"
PERMUTATION = "permutation-shapley"


@dataclass(frozen=True)
class BatchExplanation:
    """Explanations of ``m`` windows in the predicted class's probability.

    Attributes
    ----------
    probs
        ``(m, 3)`` class probabilities (down, flat, up).
    predicted
        ``(m,)`` argmax class.
    phi
        ``(m, features)`` normalised attributions of the predicted class.
    base, output
        ``(m,)`` base value and model output of the predicted class.
    raw_gap
        ``(m,)`` relative additivity gap before normalisation.
    error
        ``(m,)`` ``|base + sum(phi) - output|`` after normalisation.
    method
        Method name carried by each signal.
    """

    probs: F32
    predicted: npt.NDArray[np.int64]
    phi: F64
    base: F64
    output: F64
    raw_gap: F64
    error: F64
    method: str


class BundleExplainer:
    """Score and explain windows with one artifact (onnxruntime and numpy only).

    Parameters
    ----------
    bundle
        The loaded artifact; without ``explainer.onnx`` a sampled permutation estimate is used.
    fallback_permutations
        Orders sampled per window (antithetic pairs) by the sampled method.
    sampled
        Use the sampled permutation method even when ``explainer.onnx`` exists (slower,
        more faithful: no amortisation error).
    """

    def __init__(
        self, bundle: ModelBundle, fallback_permutations: int = 2, *, sampled: bool = False
    ) -> None:
        self.bundle = bundle
        self.background = self._background()
        self.base_all = self.bundle.predict(self.background).astype(np.float64).mean(axis=0)
        self._permutations = fallback_permutations
        self._rng = np.random.default_rng(0)
        self._sampled_only = sampled or bundle.explainer is None
        info = None if bundle.meta is None else bundle.meta.explainer
        served = FASTSHAP if info is None else info.method
        self.method = PERMUTATION if self._sampled_only else served

    def _background(self) -> F32:
        if "background" in self.bundle.extras:
            return self.bundle.extras["background"].astype(np.float32)
        shape = (1, self.bundle.window, len(self.bundle.features))
        return np.zeros(shape, dtype=np.float32)

    def raw_attributions(self, windows: F32, probs: F32) -> F64:
        """Return ``(m, features, classes)`` attributions before normalisation."""
        session = self.bundle.explainer
        if session is None or self._sampled_only:
            return np.stack([self._sampled(w) for w in windows])
        name = session.get_inputs()[0].name
        out = session.run(None, {name: self.bundle.prepare(windows)})[0]
        return np.asarray(out, dtype=np.float64)

    def _sampled(self, window: F32) -> F64:
        phi, _, _ = permutation_shapley(
            self.bundle.predict, window, self.background, self._permutations, self._rng
        )
        return phi

    def explain(self, windows: F32) -> BatchExplanation:
        """Score and explain ``(m, window, features)`` raw windows in one batch."""
        probs = self.bundle.predict(windows)
        raw = self.raw_attributions(windows, probs)
        dummies = dummy_players(windows, self.background)
        raw = np.where(dummies[..., None], 0.0, raw)
        m = len(windows)
        predicted = probs.argmax(axis=1)
        rows = np.arange(m)
        base = np.broadcast_to(self.base_all, (m, self.base_all.shape[0]))
        fx = probs.astype(np.float64)
        raw_c = raw[rows, :, predicted]
        raw_gap = additivity_gap(raw_c, base[rows, predicted], fx[rows, predicted])
        phi = efficiency_normalise(raw, base, fx, free=~dummies)[rows, :, predicted]
        out_c = fx[rows, predicted]
        base_c = base[rows, predicted]
        error = np.abs(base_c + phi.sum(axis=1) - out_c)
        return BatchExplanation(probs, predicted, phi, base_c, out_c, raw_gap, error, self.method)
