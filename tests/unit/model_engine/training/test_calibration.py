"""Temperature scaling on the training period's last slice: the fit, the fold, the split."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model_engine.datasets import Windows
from model_engine.training import Classifier, TrainConfig, build_module, fit
from model_engine.training.calibration import fit_temperature, fold_temperature
from model_engine.training.trainer import _calibration_split, _logits

HOUR = 3_600_000


def _labels_at(temperature: float, n: int = 40_000) -> tuple[np.ndarray, np.ndarray]:
    """Logits and labels drawn from ``softmax(logits / temperature)``."""
    rng = np.random.default_rng(7)
    logits = rng.normal(0.0, 2.0, size=(n, 3))
    p = np.exp(logits / temperature)
    p /= p.sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    return logits, y


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 5.0])
def test_fit_temperature_recovers_the_temperature_the_labels_were_drawn_at(
    temperature: float,
) -> None:
    logits, y = _labels_at(temperature)
    assert fit_temperature(logits, y) == pytest.approx(temperature, rel=0.06)


def test_fit_temperature_refuses_no_labels() -> None:
    with pytest.raises(ValueError, match="logits"):
        fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=np.int64))


@pytest.mark.parametrize("skip", [False, True])
def test_fold_divides_the_logits_and_keeps_the_argmax(skip: bool) -> None:
    torch.manual_seed(0)
    module = build_module(TrainConfig(hidden=8, layers=1, skip=skip), 6, 5).eval()
    x = torch.randn(32, 6, 5)
    with torch.no_grad():
        before = module(x)
        fold_temperature(module, 2.5)
        after = module(x)
    torch.testing.assert_close(after, before / 2.5)
    assert torch.equal(after.argmax(dim=1), before.argmax(dim=1))


def _windows(n: int, window: int = 4, features: int = 3, seed: int = 0) -> Windows:
    """`n` hourly windows over random features with random labels (12-hour horizon)."""
    rng = np.random.default_rng(seed)
    ends = np.arange(window - 1, window - 1 + n, dtype=np.int64)
    close = ends * HOUR
    return Windows(
        features=rng.normal(size=(window - 1 + n, features)).astype(np.float32),
        end_index=ends,
        window=window,
        y=rng.integers(0, 3, size=n).astype(np.int64),
        ts_close_ms=close,
        label_end_ms=close + 12 * HOUR,
        fwd_return=np.zeros(n),
    )


def test_the_calibration_slice_is_the_latest_and_purged() -> None:
    train = _windows(1_000)
    fit_on, calibrate_on = _calibration_split(train, 0.1)
    assert calibrate_on is not None
    assert len(calibrate_on) == pytest.approx(100, abs=1)
    # no label of the windows trained on reaches into the slice that sets the temperature
    assert fit_on.label_end_ms.max() < calibrate_on.ts_close_ms.min()
    assert len(fit_on) + len(calibrate_on) == len(train) - 12  # the straddling ones are purged
    assert _calibration_split(train, 0.0) == (train, None)
    with pytest.raises(ValueError, match="cannot hold out"):
        _calibration_split(_windows(5), 0.1)


def test_fit_with_a_calibration_fraction_folds_its_temperature() -> None:
    train, val = _windows(2_000), _windows(300, seed=1)
    config = TrainConfig(hidden=8, layers=1, max_epochs=1, batch_size=64, progress=False)
    assert fit(config, train, val).temperature == 1.0
    calibrated = fit(config.model_copy(update={"calibration_fraction": 0.2}), train, val)
    # random labels: the calibration slice says "know nothing", so it softens
    assert calibrated.temperature > 1.0
    # the folded temperature is the one the training period's last 20 % call for: unfolded,
    # the module's logits on that slice fit to it again
    _, calibrate_on = _calibration_split(train, 0.2)
    assert calibrate_on is not None
    module = calibrated.module
    assert isinstance(module, Classifier)
    raw = _logits(module, calibrated.normaliser, calibrate_on) * calibrated.temperature
    assert fit_temperature(raw, calibrate_on.y) == pytest.approx(calibrated.temperature, rel=1e-6)
    np.testing.assert_allclose(calibrated.predict_proba(val).sum(axis=1), 1.0, atol=1e-6)
