"""Protocol options on real candles: pooled training (dates aligned, own rows scored) and
triple-barrier labels."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from market_store.timeframes import timeframe_ms
from model_engine.evaluation.config import ProtocolConfig, quick_config
from model_engine.evaluation.data import Dataset, make_dataset
from model_engine.evaluation.folds import Fold, make_folds
from model_engine.evaluation.protocol import (
    barrier_labels,
    evaluate_series,
    training_inputs,
    valid_rows,
)
from neurotradex.cli.app import app
from tests.data_paths import load_candles, use_recorded_data

HOUR = timeframe_ms("1h")


def load_dataset(symbol: str, timeframe: str, horizon: str) -> Dataset:
    return make_dataset(symbol, load_candles(symbol, timeframe), timeframe, horizon)


def _btc_eth(config: ProtocolConfig) -> tuple[Dataset, Dataset, list[list[Fold]]]:
    """BTC and ETH 1h (4 h labels) with their folds under `config`."""
    btc, eth = load_dataset("BTC/USDT", "1h", "4h"), load_dataset("ETH/USDT", "1h", "4h")
    folds = [
        make_folds(d.ts_close_ms, valid_rows(d, config.dl.window), d.horizon, HOUR, config)
        for d in (btc, eth)
    ]
    return btc, eth, folds


def test_peer_rows_end_before_the_own_validation_starts() -> None:
    config = quick_config().model_copy(update={"pool": ("BTC/USDT", "ETH/USDT")})
    btc, eth, folds = _btc_eth(config)
    fold = folds[0][0]
    own = training_inputs(btc, fold, config, [])
    pooled = training_inputs(btc, fold, config, [(eth, folds[1])])
    added = pooled.train[own.train.size :] - btc.features.shape[0]
    assert added.size == folds[1][0].train.size > 10_000
    label_end = eth.ts_close_ms[added] + eth.horizon * HOUR
    assert label_end.max() + config.embargo_bars * HOUR <= fold.val_start_ms
    assert eth.ts_close_ms[added].min() >= fold.train_start_ms
    np.testing.assert_array_equal(pooled.val, own.val)
    np.testing.assert_array_equal(pooled.test, own.test)


def test_one_normaliser_over_the_pool_standardises_all_training_rows_together() -> None:
    config = quick_config().model_copy(update={"pool": ("BTC/USDT", "ETH/USDT")})
    btc, eth, folds = _btc_eth(config)
    peers = [(eth, folds[1])]
    per_pair = training_inputs(
        btc, folds[0][0], config.model_copy(update={"normalise": "per_pair"}), peers
    )
    shared = training_inputs(
        btc, folds[0][0], config.model_copy(update={"normalise": "pooled"}), peers
    )
    own = per_pair.train[per_pair.train < btc.features.shape[0]]
    column = btc.names.index("rv_24")
    # per pair, BTC's own training rows are centred; pooled, only all rows together are,
    # and BTC, calmer than ETH, sits below the pool's mean volatility
    assert abs(float(per_pair.features[own, column].mean())) < 0.02
    assert abs(float(shared.features[shared.train, column].mean())) < 0.02
    assert float(shared.features[own, column].mean()) < -0.1
    np.testing.assert_array_equal(shared.labels, per_pair.labels)  # labels stay per pair


def test_pooled_training_changes_the_baselines_and_needs_peers() -> None:
    config = quick_config().model_copy(update={"models": ("logreg",)})
    btc, eth = load_dataset("BTC/USDT", "1h", "4h"), load_dataset("ETH/USDT", "1h", "4h")
    alone = evaluate_series(btc, HOUR, config)
    pooled_config = config.model_copy(update={"pool": ("BTC/USDT", "ETH/USDT")})
    pooled = evaluate_series(btc, HOUR, pooled_config, [eth])
    assert pooled["folds"] == alone["folds"]  # the same own rows are scored
    assert pooled["models"]["logreg"]["rank_ic"] != alone["models"]["logreg"]["rank_ic"]  # type: ignore[index]
    with pytest.raises(ValueError, match="pass their datasets as peers"):
        evaluate_series(btc, HOUR, pooled_config)


def test_a_pool_symbol_without_candles_is_refused_with_the_way_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_recorded_data(monkeypatch, tmp_path)
    result = CliRunner().invoke(
        app,
        ["evaluate", "--symbols", "BTC/USDT", "--quick", "--set", 'pool=["BTC/USDT","NOPE/USDT"]'],
    )
    assert result.exit_code == 2
    text = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())
    assert "NOPE_USDT-1h.csv.gz" in "".join(text.split())  # the panel may wrap a long path
    assert "--set 'pool=[]' trains each symbol alone" in text


def test_triple_barrier_labels_follow_the_first_touch_of_the_band() -> None:
    from model_engine.datasets.labels import DOWN, FLAT, UP

    data = load_dataset("BTC/USDT", "1h", "12h")
    assert data.bars is not None
    band = 0.004
    labels = barrier_labels(data, band)
    close, high, low = data.bars.close, data.bars.high, data.bars.low
    for t in range(30_000, 30_400):
        upper, lower = close[t] * np.exp(band), close[t] * (2 - np.exp(band))
        expected = FLAT
        for step in range(t + 1, t + 13):
            up, down = high[step] >= upper, low[step] <= lower
            if up or down:
                expected = UP if up and not down else DOWN if down and not up else FLAT
                break
        assert labels[t] == expected, t
    counts = np.bincount(labels[:-12], minlength=3)
    assert counts.min() > 0.05 * counts.sum()


def test_triple_barrier_needs_the_candles() -> None:
    data = load_dataset("ETH/USDT", "1h", "4h")
    bare = replace(data, bars=None)
    with pytest.raises(ValueError, match="need the candles"):
        barrier_labels(bare, 0.01)
