"""Explanation bench: one core, real holdout windows, model call included."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from feature_spec import DEFAULT_SPEC
from market_store.paths import ntx_home


def run_explain_bench(
    windows: int = 200, reference_windows: int = 20, *, sampled: bool = False
) -> dict[str, Any]:
    """Measure latency (p50/p99 ms), additivity gap and rank correlation vs KernelSHAP."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from model_engine.explain.audit import ensure_artifact, holdout_windows
    from model_engine.explain.metrics import spearman
    from model_engine.explain.reference import cached_reference
    from model_engine.explain.runtime import BundleExplainer
    from model_engine.explain.shapley import additivity_gap
    from model_engine.serving.bundle import load_bundle

    home = ntx_home()
    bundle = load_bundle(ensure_artifact(home), DEFAULT_SPEC.names)
    explainer = BundleExplainer(bundle, sampled=sampled)
    x = holdout_windows(bundle, windows)
    explainer.explain(x[:1])  # warm the sessions
    latency = []
    for window in x:
        started = time.perf_counter()
        explainer.explain(window[None])
        latency.append((time.perf_counter() - started) * 1e3)
    e = explainer.explain(x)
    gap = additivity_gap(e.phi, e.base, e.output)
    sub = x[:: max(1, len(x) // reference_windows)][:reference_windows]
    es = explainer.explain(sub)
    started = time.perf_counter()
    ref = cached_reference(
        home / "cache" / "reference",
        bundle.manifest_sha256,
        bundle.predict,
        sub,
        explainer.background,
        es.predicted,
        2048,
    )
    reference_ms = (time.perf_counter() - started) * 1e3 / len(sub)
    info = None if bundle.meta is None else bundle.meta.explainer
    return {
        "model": f"{bundle.name} {bundle.version}",
        "method": explainer.method,
        "explainer_targets": None if info is None else info.targets,  # its training budget
        "p50_ms": float(np.percentile(latency, 50)),
        "p99_ms": float(np.percentile(latency, 99)),
        "additivity_gap_p99": float(np.percentile(gap, 99)),
        "additivity_gap_raw_p99": float(np.percentile(e.raw_gap, 99)),
        "rank_corr_vs_reference": float(
            np.median([spearman(es.phi[i], ref[i]) for i in range(len(sub))])
        ),
        "reference_ms": reference_ms,
        "windows": len(x),
        "reference_windows": len(sub),
        "players": x.shape[2],
    }
