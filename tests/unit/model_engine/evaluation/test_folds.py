"""Calendar folds: out of sample from 2021-01-01, no overlap, purge >= the label horizon."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from model_engine.evaluation.config import ProtocolConfig, dev_config, quick_config
from model_engine.evaluation.folds import make_folds

HOUR = 3_600_000


def _ms(year: int, month: int = 1, day: int = 1) -> int:
    return int(datetime(year, month, day, tzinfo=UTC).timestamp() * 1000)


def _series(end_year: int = 2023, end_month: int = 7) -> np.ndarray:
    return np.arange(_ms(2018), _ms(end_year, end_month), HOUR, dtype=np.int64) + HOUR


@pytest.mark.parametrize("horizon", [1, 4, 24])
def test_folds_follow_the_protocol(horizon: int) -> None:
    ts = _series()
    config = ProtocolConfig()
    folds = make_folds(ts, np.ones(ts.size, dtype=bool), horizon, HOUR, config)
    assert [f.year for f in folds] == [2021, 2022, 2023]
    assert ts[folds[0].tests[0].index[0]] == _ms(2021)
    assert [p.label for p in folds[0].tests] == ["2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    assert [p.label for p in folds[-1].tests] == ["2023Q1", "2023Q2", "2023Q3"]  # one bar of Q3
    gap = (horizon + config.embargo_bars) * HOUR
    for fold in folds:
        test = np.concatenate([p.index for p in fold.tests])
        assert ts[fold.train[0]] >= _ms(fold.year - 2)
        assert ts[fold.train[-1]] + gap <= ts[fold.val[0]]
        assert ts[fold.val[-1]] + gap <= ts[test[0]]
        assert ts[fold.val[-1]] + horizon * HOUR < ts[test[0]]  # purge >= horizon
        assert not set(fold.train) & set(fold.val)
        assert not set(fold.val) & set(test)
        assert np.all(np.diff(test) == 1)  # quarters are contiguous and disjoint
        assert test.size == np.unique(test).size


def test_tests_of_successive_folds_do_not_overlap() -> None:
    ts = _series()
    folds = make_folds(ts, np.ones(ts.size, dtype=bool), 1, HOUR, ProtocolConfig())
    tested = np.concatenate([p.index for f in folds for p in f.tests])
    assert np.all(np.diff(tested) == 1)
    assert ts[tested[-1]] == ts[-1]


def test_quick_config_has_one_fold_of_one_quarter() -> None:
    ts = _series()
    folds = make_folds(ts, np.ones(ts.size, dtype=bool), 1, HOUR, quick_config())
    assert len(folds) == 1
    assert [p.label for p in folds[0].tests] == ["2021Q1"]


def test_invalid_rows_are_never_used() -> None:
    ts = _series()
    valid = np.ones(ts.size, dtype=bool)
    valid[::7] = False
    folds = make_folds(ts, valid, 1, HOUR, ProtocolConfig())
    for fold in folds:
        for index in (fold.train, fold.val, *(p.index for p in fold.tests)):
            assert valid[index].all()


def test_default_protocol_values() -> None:
    config = ProtocolConfig()
    assert config.oos_start.isoformat() == "2021-01-01"
    assert (config.train_years, config.test_quarters, config.max_folds) == (2, 4, None)
    assert len(config.dl.seeds) >= 3
    assert config.fee_per_side == 0.001


def test_dev_fold_ends_before_every_test_period_of_the_default_protocol() -> None:
    ts = _series()
    valid = np.ones(ts.size, dtype=bool)
    (dev,) = make_folds(ts, valid, 24, HOUR, dev_config(ProtocolConfig()))
    default = make_folds(ts, valid, 24, HOUR, ProtocolConfig())
    assert dev.year == 2020
    assert [p.label for p in dev.tests] == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
    assert ts[dev.train[0]] >= _ms(2018)
    assert ts[dev.tests[-1].index[-1]] < _ms(2021) <= ts[default[0].tests[0].index[0]]
