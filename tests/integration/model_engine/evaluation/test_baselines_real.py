"""Baselines on real BTC/USDT 1h candles produce finite out-of-sample metrics."""

from __future__ import annotations

import math

import numpy as np

from model_engine.evaluation.config import BASELINES, quick_config
from model_engine.evaluation.data import load_dataset, timeframe_ms
from model_engine.evaluation.protocol import evaluate_series, valid_rows


def test_baselines_on_real_data_are_finite() -> None:
    data = load_dataset("BTC/USDT", "1h", "1h")
    config = quick_config().model_copy(update={"models": BASELINES})
    result = evaluate_series(data, timeframe_ms("1h"), config)
    models = result["models"]
    assert isinstance(models, dict)
    assert set(models) == set(BASELINES)
    for name, metrics in models.items():
        for key in (
            "accuracy",
            "balanced_accuracy",
            "net_return_pct",
            "sharpe",
            "max_drawdown_pct",
        ):
            assert math.isfinite(metrics[key]), (name, key)
    assert models["buy_and_hold"]["rank_ic"] is None
    assert models["buy_and_hold"]["exposure"] == 1.0
    for name in ("lightgbm", "logreg", "repeat_last"):
        assert math.isfinite(models[name]["rank_ic"])
        assert 0.3 < models[name]["accuracy"] < 0.7
    assert result["oos_start"] == 1609459200000  # 2021-01-01T00:00Z


def test_valid_rows_exclude_warm_up_and_the_unknown_future() -> None:
    data = load_dataset("ETH/USDT", "1h", "4h")
    valid = valid_rows(data, 24)
    assert not valid[:24].any()
    assert not valid[-4:].any()
    assert np.isfinite(data.features[valid]).all()
