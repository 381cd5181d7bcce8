"""Reference Shapley values computed independently of the served method: shap's KernelSHAP.

Players are the spec's features; a player's "value" is an index: 0 takes the explained window's
feature, ``k`` takes background window ``k - 1``'s. With the 16 background rows as KernelSHAP's
data, its expectation is exactly ``v(S)`` averaged over every background window. Results are
cached per model sha256 under ``NTX_HOME/cache/reference/``.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt

from model_engine.explain.shapley import PredictFn

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
log = logging.getLogger(__name__)


def kernel_shap(predict: PredictFn, x: F32, background: F32, target: int, samples: int) -> F64:
    """Return KernelSHAP values ``(features,)`` of class `target` for window `x`."""
    import shap  # type: ignore[import-untyped]

    n = x.shape[1]
    sources = np.concatenate([x[None], background])  # (1 + b, window, features)

    def players(codes: F64) -> F64:
        idx = codes.astype(np.int64)  # (m, features): which source window per feature
        hybrid = sources[idx, :, np.arange(n)[None, :]]  # (m, features, window)
        return predict(hybrid.transpose(0, 2, 1).astype(np.float32))[:, target].astype(np.float64)

    data = np.repeat(np.arange(1, len(background) + 1, dtype=np.float64)[:, None], n, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explainer = shap.KernelExplainer(players, data)
        values = explainer.shap_values(
            np.zeros((1, n)), nsamples=samples, l1_reg=False, silent=True
        )  # shap >= 0.46 defaults to num_features(10): a sparse, not a Shapley, answer
    return np.asarray(values, dtype=np.float64).reshape(n)


def cached_reference(
    cache_dir: Path,
    model_sha256: str,
    predict: PredictFn,
    windows: F32,
    background: F32,
    targets: npt.NDArray[np.int64],
    samples: int,
) -> F64:
    """Return ``(m, features)`` reference values, computing only those not cached yet."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    out = np.zeros((len(windows), windows.shape[2]))
    bg_key = hashlib.sha256(background.tobytes()).hexdigest()[:16]
    for i, (window, target) in enumerate(zip(windows, targets, strict=True)):
        key = hashlib.sha256(window.tobytes() + bytes([int(target)])).hexdigest()[:24]
        path = cache_dir / f"kernel-l1off-{model_sha256[:16]}-{bg_key}-{samples}-{key}.npy"
        if path.is_file():
            out[i] = np.load(path)
            continue
        out[i] = kernel_shap(predict, window, background, int(target), samples)
        np.save(path, out[i])
    return out
