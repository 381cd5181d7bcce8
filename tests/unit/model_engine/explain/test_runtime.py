"""The served explainer on a tiny real artifact: additive, dummy-aware, torch-free."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from feature_spec import DEFAULT_SPEC
from model_engine.explain.audit import holdout_windows
from model_engine.explain.runtime import BundleExplainer
from model_engine.serving.bundle import load_bundle


def test_explanations_sum_to_the_model_output(artifact: Path) -> None:
    bundle = load_bundle(artifact, DEFAULT_SPEC.names)
    explainer = BundleExplainer(bundle)
    x = holdout_windows(bundle, 12)
    e = explainer.explain(x)
    assert bundle.meta is not None
    assert bundle.meta.explainer is not None
    assert e.method == bundle.meta.explainer.method == "fastshap-player+efficiency"
    assert e.phi.shape == (12, len(DEFAULT_SPEC.names))
    np.testing.assert_allclose(e.base + e.phi.sum(axis=1), e.output, atol=1e-6)
    assert e.error.max() < 1e-6
    np.testing.assert_allclose(e.output, e.probs.max(axis=1), atol=1e-6)
    news = [DEFAULT_SPEC.names.index(n) for n in DEFAULT_SPEC.news_names]
    assert np.all(e.phi[:, news] == 0.0)  # no news in training or live: exact dummies
    assert np.all(e.raw_gap >= 0)


def test_without_explainer_files_the_sampled_fallback_is_additive(artifact: Path) -> None:
    bundle = load_bundle(artifact, DEFAULT_SPEC.names)
    bundle.explainer = None
    explainer = BundleExplainer(bundle, fallback_permutations=2)
    e = explainer.explain(holdout_windows(bundle, 2))
    assert e.method == "permutation-shapley"
    assert e.raw_gap.max() < 1e-4
