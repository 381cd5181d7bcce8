"""Tiny models on real windows: seeded training, and torch vs onnxruntime parity."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import torch

from feature_spec import DEFAULT_SPEC, compute_batch
from model_engine.datasets import LabelSpec, Windows, build_windows
from model_engine.training import (
    Classifier,
    EnsembleModule,
    TrainConfig,
    TrainedModel,
    export_onnx,
    fit,
    fit_ensemble,
    ort_session,
)
from tests.data_paths import load_candles

WINDOW = 24
TOLERANCE = 1e-5


@lru_cache(maxsize=1)
def real_windows() -> tuple[Windows, Windows]:
    """Return (train, held-out) windows of ETH/USDT 1h, 2023-01-01 .. 04-15 (held-out: 1,100)."""
    bars = load_candles("ETH/USDT", "1h", 1_672_531_200_000, 1_704_067_200_000)
    windows = build_windows(bars, compute_batch(DEFAULT_SPEC, bars), LabelSpec(6, 20.0), WINDOW)
    return windows.split(int(windows.ts_close_ms[-1100]))


@lru_cache(maxsize=4)
def tiny(family: str, skip: bool = False) -> TrainedModel:
    train, val = real_windows()
    config = TrainConfig(
        model=family,  # type: ignore[arg-type]
        skip=skip,
        hidden=16,
        layers=1,
        heads=2,
        max_epochs=1,
        max_train_batches=4,
        batch_size=64,
        progress=False,
    )
    return fit(config, train, val)


@pytest.mark.parametrize(
    ("family", "skip"), [("lstm", False), ("transformer", False), ("lstm", True)]
)
def test_onnx_matches_torch_on_real_windows(family: str, skip: bool, tmp_path: Path) -> None:
    model = tiny(family, skip)
    _, held_out = real_windows()
    raw = held_out.windows_at(np.arange(1024))
    expected = model.predict_proba(raw)
    info = export_onnx(model, tmp_path / "model.onnx", WINDOW, held_out.n_features)
    assert info.input_shape == ("batch", WINDOW, len(DEFAULT_SPEC.names))
    session = ort_session(tmp_path / "model.onnx")
    x = model.normaliser.apply(raw)
    single = np.concatenate(
        [session.run(["probabilities"], {"x": x[i : i + 1]})[0] for i in range(len(x))]
    )
    batched = np.concatenate(
        [session.run(["probabilities"], {"x": x[i : i + 256]})[0] for i in range(0, len(x), 256)]
    )
    assert np.abs(single - expected).max() <= TOLERANCE
    assert np.abs(batched - expected).max() <= TOLERANCE
    np.testing.assert_allclose(expected.sum(axis=1), 1.0, atol=1e-6)


def test_training_is_seeded_and_learns_something() -> None:
    first = tiny("lstm")
    train, val = real_windows()
    again = fit(first.config, train, val)
    for name, tensor in first.module.state_dict().items():
        assert torch.equal(tensor, again.module.state_dict()[name]), name
    assert first.history
    assert first.history[-1]["train_loss"] < 1.2
    np.testing.assert_allclose(first.normaliser.mean, again.normaliser.mean)


def test_fit_rejects_empty_validation() -> None:
    train, val = real_windows()
    with pytest.raises(ValueError, match="validation"):
        fit(TrainConfig(progress=False), train, val.take(np.zeros(len(val), dtype=bool)))


def test_the_wide_path_adds_a_linear_map_of_the_last_row() -> None:
    model = tiny("lstm", True)
    module, plain = model.module, tiny("lstm").module
    assert isinstance(module, Classifier)
    assert isinstance(plain, Classifier)
    assert module.skip is not None
    assert plain.skip is None
    _, held_out = real_windows()
    x = torch.from_numpy(model.normaliser.apply(held_out.windows_at(np.arange(64))))
    z = torch.clamp(x, -module.clip, module.clip)
    with torch.inference_mode():
        deep = module.head(module.encode(z))
        wide = module.skip(z[:, -1, :])
        torch.testing.assert_close(module(x), deep + wide)
        assert wide.abs().max() > 1e-3  # the path is trained, not a zero term


def test_an_ensemble_is_the_mean_of_its_members_probabilities_in_onnx_too(
    tmp_path: Path,
) -> None:
    members = [tiny("lstm", True), tiny("transformer")]
    ensemble = TrainedModel(
        EnsembleModule([m.module for m in members if isinstance(m.module, Classifier)]),
        members[0].config,
        members[0].normaliser,
    )
    _, held_out = real_windows()
    raw = held_out.windows_at(np.arange(1024))
    expected = np.mean([m.predict_proba(raw) for m in members], axis=0)
    np.testing.assert_allclose(ensemble.predict_proba(raw), expected, atol=1e-6)
    export_onnx(ensemble, tmp_path / "model.onnx", WINDOW, held_out.n_features)
    session = ort_session(tmp_path / "model.onnx")
    x = ensemble.normaliser.apply(raw)
    batched = np.concatenate(
        [session.run(["probabilities"], {"x": x[i : i + 256]})[0] for i in range(0, len(x), 256)]
    )
    assert np.abs(batched - expected).max() <= TOLERANCE


def test_fit_ensemble_trains_each_member_config() -> None:
    train, val = real_windows()
    configs = [tiny("lstm").config, tiny("lstm").config.model_copy(update={"seed": 1})]
    model = fit_ensemble(configs, train, val)
    assert isinstance(model.module, EnsembleModule)
    assert len(model.module.members) == 2
    first = model.module.members[0].state_dict()
    for name, tensor in tiny("lstm").module.state_dict().items():
        assert torch.equal(tensor, first[name]), name  # seed 0 member == the plain seed-0 fit
    assert [h["member"] for h in model.history] == [0.0, 1.0]
    with pytest.raises(ValueError, match="at least one"):
        fit_ensemble([], train, val)
