"""Baselines on real BTC/USDT 1h candles produce finite out-of-sample metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from market_store.timeframes import timeframe_ms
from model_engine.evaluation.config import BASELINES, quick_config
from model_engine.evaluation.data import Dataset, make_dataset
from model_engine.evaluation.protocol import evaluate_series, valid_rows
from tests.data_paths import data_dir, load_candles


def load_dataset(symbol: str, timeframe: str, horizon: str, news: bool = False) -> Dataset:
    return make_dataset(symbol, load_candles(symbol, timeframe), timeframe, horizon, news)


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


def test_news_features_are_zero_without_news_and_causal(monkeypatch: pytest.MonkeyPatch) -> None:
    from model_engine.evaluation.news import USED_NEWS_FEATURES, symbol_news

    monkeypatch.setenv("NTX_DATA_DIR", str(data_dir()))  # the recorded news
    data = load_dataset("BTC/USDT", "1h", "1h", news=True)
    assert data.names[-2:] == USED_NEWS_FEATURES
    news = data.features[:, -2:]
    items = symbol_news(data_dir() / "news", "BTC/USDT")
    assert items.ts_ms.size > 300  # name bitcoin: 78 cryptopanic headlines, 290 reddit posts
    first = int(np.searchsorted(data.ts_close_ms, items.ts_ms[0], side="right"))
    assert not news[:first].any()  # nothing before the first headline: zeros, not NaN
    assert (news[first:, 1] > 0).any()
    assert np.abs(news[:, 0]).max() <= 1.0
