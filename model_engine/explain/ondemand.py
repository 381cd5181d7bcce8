"""Explanations asked for after the fact: the stored SHAP one, or LIME computed on request."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model_engine.errors import InvalidMessageError
from model_engine.explain.lime import METHOD as LIME_METHOD
from model_engine.explain.lime import lime_attributions
from model_engine.explain.runtime import OUTPUT_SPACE, BundleExplainer
from model_engine.serving.bundle import load_bundle
from model_engine.serving.models import ModelRegistry
from model_engine.signals_store import StoredSignal
from signal_schema import Explanation, FeatureAttribution

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
    if stored.window is None:
        raise InvalidMessageError("no_window", "the signal's input window was not stored")
    explainer = explainer_for(stored, registry, home)
    target = CLASSES.index(stored.signal.direction)
    coef, intercept = lime_attributions(
        explainer.bundle.predict, stored.window, explainer.background, target
    )
    output = float(explainer.bundle.predict(stored.window[None])[0, target])
    return Explanation(
        method=LIME_METHOD,
        output_space=f"{OUTPUT_SPACE} ({CLASSES[target]})",
        base_value=intercept,
        output_value=output,
        attributions=tuple(
            FeatureAttribution(feature=n, value=float(stored.window[-1, j]), attribution=float(c))
            for j, (n, c) in enumerate(
                zip(explainer.bundle.features, np.asarray(coef), strict=True)
            )
        ),
        additivity_error=None,
    )
