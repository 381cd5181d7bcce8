"""Explanations asked for after the fact: the stored SHAP one, LIME or time steps on request.

Both on-request methods re-run the artifact that produced the signal on the input window
stored with it (`SignalStore` keeps every published signal's window).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from market_store.timeframes import timeframe_delta
from model_engine.errors import InvalidMessageError
from model_engine.explain.detail import StepAttribution, StepExplanation
from model_engine.explain.lime import METHOD as LIME_METHOD
from model_engine.explain.lime import lime_attributions
from model_engine.explain.runtime import OUTPUT_SPACE, BundleExplainer
from model_engine.explain.steps import METHOD as STEPS_METHOD
from model_engine.explain.steps import PLAYERS as STEP_PLAYERS
from model_engine.explain.steps import step_attributions
from model_engine.serving.bundle import load_bundle
from model_engine.serving.models import ModelRegistry
from model_engine.signals_store import StoredSignal
from signal_schema import Explanation, FeatureAttribution

F32 = npt.NDArray[np.float32]
CLASSES = ("down", "flat", "up")


def explainer_for(stored: StoredSignal, registry: ModelRegistry, home: Path) -> BundleExplainer:
    """Return the explainer of the exact artifact version that produced the signal."""
    ref = stored.signal.model
    served = registry.models.get(ref.name)
    if served is not None and served.bundle.version == ref.version:
        return served.explainer
    folder = home / "models" / ref.name / ref.version
    if not folder.is_dir():
        raise InvalidMessageError(
            "artifact_gone", f"{ref.name} {ref.version} is no longer in {home}"
        )
    return BundleExplainer(load_bundle(folder))


def explanation(
    stored: StoredSignal, method: str, registry: ModelRegistry, home: Path
) -> Explanation:
    """Return the stored SHAP explanation, or a LIME one computed now (same players/space)."""
    if method == "shap":
        return stored.signal.explanation
    if method != "lime":
        raise InvalidMessageError("unknown_method", f"{method!r}: shap or lime")
    window = _window(stored)
    explainer = explainer_for(stored, registry, home)
    target = CLASSES.index(stored.signal.direction)
    coef, intercept = lime_attributions(
        explainer.bundle.predict, window, explainer.background, target
    )
    output = float(explainer.bundle.predict(window[None])[0, target])
    return Explanation(
        method=LIME_METHOD,
        output_space=f"{OUTPUT_SPACE} ({CLASSES[target]})",
        base_value=intercept,
        output_value=output,
        attributions=tuple(
            FeatureAttribution(feature=n, value=float(window[-1, j]), attribution=float(c))
            for j, (n, c) in enumerate(
                zip(explainer.bundle.features, np.asarray(coef), strict=True)
            )
        ),
        additivity_error=None,
    )


def step_explanation(
    stored: StoredSignal, registry: ModelRegistry, home: Path, *, seed: int = 0
) -> StepExplanation:
    """Decompose the stored signal over its window's time steps (same game, rows as players).

    Same artifact, background and predicted class as the stored explanation, so the steps
    sum to the stored ``output - base``.
    """
    window = _window(stored)
    explainer = explainer_for(stored, registry, home)
    signal = stored.signal
    target = CLASSES.index(signal.direction)
    got = step_attributions(
        explainer.bundle.predict, window, explainer.background, target, seed=seed
    )
    stored_delta = signal.explanation.output_value - signal.explanation.base_value
    bar = _bar(signal.timeframe)
    last = len(window) - 1
    return StepExplanation(
        signal_id=signal.signal_id,
        method=STEPS_METHOD,
        players=STEP_PLAYERS,
        output_space=f"{OUTPUT_SPACE} ({CLASSES[target]})",
        base_value=got.base,
        output_value=got.output,
        steps=tuple(
            StepAttribution(
                index=t,
                lag=last - t,
                ts=None if bar is None else signal.ts_event - (last - t) * bar,
                attribution=float(phi),
                stderr=None if got.stderr is None else float(got.stderr[t]),
            )
            for t, phi in enumerate(got.phi)
        ),
        additivity_error=got.additivity_error,
        stored_gap=abs(got.output - got.base - stored_delta),
        background_windows=len(explainer.background),
        pairs_per_background=got.pairs_per_background,
        model_windows=got.windows,
        seed=seed,
    )


def _window(stored: StoredSignal) -> F32:
    if stored.window is None:
        raise InvalidMessageError("no_window", "the signal's input window was not stored")
    return stored.window


def _bar(timeframe: str) -> timedelta | None:
    """Return the bar length of ``"5m"``, ``"1h"``, ... (None for months: not fixed)."""
    return None if timeframe.endswith("M") else timeframe_delta(timeframe)
