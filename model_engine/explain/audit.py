"""Fidelity audit of the served method against an independent KernelSHAP reference."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper

from market_store.timeframes import timeframe_ms
from model_engine.explain.metrics import quantiles, spearman, top_k_agreement
from model_engine.explain.randomisation import arch_of, rebuilt_for
from model_engine.explain.realdata import load_features, spread_ends, windows_at
from model_engine.explain.reference import cached_reference
from model_engine.explain.runtime import BundleExplainer
from model_engine.explain.shapley import additivity_gap, coalition_windows
from model_engine.serving.bundle import ModelBundle, newest_versions, session

F32 = np.ndarray
RANDOMISED_TRAIN_WINDOWS = 256
HISTORY_BARS = 2_000
"""Bars read before the end of training: the features' warm-up and the model's window."""
RANDOMISED_MAX_SPEARMAN = 0.5
"""The check passes when attributions of the randomised model rank features differently."""


def ensure_artifact(home: Path) -> Path:
    """Return the newest artifact folder in `home`, building a small one first if none."""
    found = newest_versions(home)
    if found:
        return max(found.values(), key=lambda p: p.name)
    from model_engine.explain.bootstrap import build_artifact  # torch, only when building

    return build_artifact(home)


def holdout_windows(bundle: ModelBundle, count: int) -> F32:
    """Return `count` real windows after the artifact's training period (or the last bars).

    The manifest's ``training.base`` names the symbol and ``training.until_ms`` where its
    training data ended; windows start a label horizon after that.
    """
    training = None if bundle.meta is None else bundle.meta.training
    base = (training.base if training is not None else None) or "BTC"
    timeframe = "1h" if training is None else training.timeframe
    since = None
    if training is not None:  # enough bars before the end of training to warm the features up
        since = training.until_ms - HISTORY_BARS * timeframe_ms(timeframe)
    bars, feats = load_features(base, timeframe, since_ms=since)
    last = len(bars) - 3_000
    if training is not None:
        last = int(np.searchsorted(bars.ts_open_ms, training.until_ms, side="left")) - 1
    first = last + bundle.horizon_bars + 1
    first = max(min(first, len(bars) - count), bundle.window - 1)
    return windows_at(feats, spread_ends(first, len(bars) - 1, count), bundle.window)


def _removal_move(bundle: ModelBundle, x: F32, bg: F32, drop: np.ndarray, cls: int) -> float:
    mask = np.ones((1, x.shape[1]), dtype=bool)
    mask[0, drop] = False
    value = bundle.predict(coalition_windows(x, bg, mask))[:, cls].mean()
    return float(abs(bundle.predict(x[None])[0, cls] - value))


def _randomised(bundle: ModelBundle, seed: int) -> ModelBundle:
    model = onnx.load(str(bundle.path / "model.onnx"))
    rng = np.random.default_rng(seed)
    for init in model.graph.initializer:
        w = numpy_helper.to_array(init)
        if w.dtype == np.float32 and w.size > 1:
            init.CopyFrom(
                numpy_helper.from_array(rng.permutation(w.ravel()).reshape(w.shape), init.name)
            )
    path = bundle.path.parent.parent.parent.parent / "cache" / f"random-{bundle.version}.onnx"
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    clone = ModelBundle(**{**bundle.__dict__, "model": session(path)})
    return clone


def _randomisation(
    phi: np.ndarray, phi_rand: np.ndarray, ref: np.ndarray, ref_rand: np.ndarray, arch: str | None
) -> dict[str, Any]:
    method = float(np.median([spearman(phi[i], phi_rand[i]) for i in range(len(phi))]))
    reference = float(np.median([spearman(ref[i], ref_rand[i]) for i in range(len(ref_rand))]))
    return {
        "method_spearman_orig_vs_random": method,
        "reference_spearman_orig_vs_random": reference,
        "passes": method < RANDOMISED_MAX_SPEARMAN,
        "note": "weights permuted; "
        + (
            f"the {arch} explainer was rebuilt for the randomised model "
            f"({RANDOMISED_TRAIN_WINDOWS} windows), as the method is trained per model"
            if arch is not None
            else "the method ran on the randomised model as it is"
        ),
    }


def run_audit(
    bundle: ModelBundle, home: Path, windows: int = 50, samples: int = 2048
) -> dict[str, Any]:
    """Compare the served method with KernelSHAP (`samples` evaluations) on real windows."""
    explainer = BundleExplainer(bundle)
    x = holdout_windows(bundle, windows)
    e = explainer.explain(x)
    bg = explainer.background
    started = time.perf_counter()
    ref = cached_reference(
        home / "cache" / "reference",
        bundle.manifest_sha256,
        bundle.predict,
        x,
        bg,
        e.predicted,
        samples,
    )
    ref_secs = (time.perf_counter() - started) / len(x)
    raw = explainer.raw_attributions(x, e.probs)[np.arange(len(x)), :, e.predicted]
    rng = np.random.default_rng(0)
    k = 3
    top_moves, rand_moves = [], []
    for i in range(len(x)):
        cls = int(e.predicted[i])
        top_moves.append(_removal_move(bundle, x[i], bg, np.argsort(-np.abs(e.phi[i]))[:k], cls))
        rand_moves.append(
            _removal_move(bundle, x[i], bg, rng.choice(x.shape[2], k, replace=False), cls)
        )
    randomised = _randomised(bundle, 1)
    arch = arch_of(explainer.method)
    if arch is not None:  # the amortised method: rebuilt for the randomised model, as `ntx
        # train` would; a method without training (permutation Shapley) runs on it as it is
        train = holdout_windows(bundle, RANDOMISED_TRAIN_WINDOWS)
        path = home / "cache" / f"random-{bundle.version}-explainer.onnx"
        randomised = rebuilt_for(randomised, train, bg, arch=arch, path=path)
    er = BundleExplainer(randomised).explain(x)
    ref_rand = cached_reference(
        home / "cache" / "reference",
        "random" + bundle.manifest_sha256[6:],
        randomised.predict,
        x[:10],
        bg,
        er.predicted[:10],
        512,
    )
    rho = [spearman(e.phi[i], ref[i]) for i in range(len(x))]
    return {
        "model": f"{bundle.name} {bundle.version}",
        "method": explainer.method,
        "output_space": "probability of the predicted class",
        "players": x.shape[2],
        "windows": len(x),
        "background": {
            "windows": len(bg),
            "kind": "real training windows evenly spaced in time",
            "expected_value": dict(
                zip(("down", "flat", "up"), map(float, explainer.base_all), strict=True)
            ),
        },
        "reference": {
            "method": "shap.KernelExplainer over onnxruntime",
            "samples": samples,
            "secs_per_window": ref_secs,
        },
        "spearman_median": float(np.median(rho)),
        "spearman_p10": float(np.quantile(rho, 0.1)),
        "top3_agreement": float(
            np.mean([top_k_agreement(e.phi[i], ref[i]) for i in range(len(x))])
        ),
        "additivity_gap_raw": quantiles(additivity_gap(raw, e.base, e.output)),
        "additivity_gap_served": quantiles(additivity_gap(e.phi, e.base, e.output)),
        "additivity_gap_reference": quantiles(additivity_gap(ref, e.base, e.output)),
        "deletion": {
            "k": k,
            "top_mean_move": float(np.mean(top_moves)),
            "random_mean_move": float(np.mean(rand_moves)),
            "passes": bool(np.mean(top_moves) > np.mean(rand_moves)),
        },
        "randomisation": _randomisation(e.phi, er.phi, ref, ref_rand, arch),
    }
