"""Pooled training: other symbols add training rows only, and windows never cross symbols."""

from __future__ import annotations

import numpy as np
import pytest

from model_engine.evaluation.models import FoldInputs
from model_engine.evaluation.pooling import pool_inputs

WINDOW = 4


def _inputs(rows: int, first_label: int, train: range, val: range, test: range) -> FoldInputs:
    features = np.arange(rows * 2, dtype=np.float32).reshape(rows, 2) + 1000 * first_label
    return FoldInputs(
        features=features,
        labels=np.full(rows, first_label, dtype=np.int64),
        train=np.array(train, dtype=np.int64),
        val=np.array(val, dtype=np.int64),
        test=np.array(test, dtype=np.int64),
    )


def test_pooling_adds_only_the_other_symbols_training_rows() -> None:
    own = _inputs(40, 0, range(WINDOW - 1, 20), range(22, 30), range(32, 40))
    other = _inputs(30, 2, range(WINDOW - 1, 15), range(17, 22), range(24, 30))
    pooled = pool_inputs(own, [other])
    assert pooled.features.shape == (70, 2)
    np.testing.assert_array_equal(pooled.val, own.val)
    np.testing.assert_array_equal(pooled.test, own.test)
    assert pooled.train.size == own.train.size + other.train.size
    # the added rows are the other symbol's training rows, with their own labels
    added = pooled.train[own.train.size :]
    np.testing.assert_array_equal(pooled.features[added], other.features[other.train])
    assert (pooled.labels[added] == 2).all()
    assert (pooled.labels[pooled.train[: own.train.size]] == 0).all()
    # every training window lies inside one symbol's block
    for end in pooled.train:
        block = pooled.labels[end - WINDOW + 1 : end + 1]
        assert (block == block[-1]).all()
        assert end - WINDOW + 1 >= (0 if end < 40 else 40)


def test_pooling_refuses_other_feature_columns() -> None:
    own = _inputs(10, 0, range(3, 5), range(6, 7), range(8, 10))
    other = FoldInputs(
        np.zeros((10, 3), dtype=np.float32),
        np.zeros(10, dtype=np.int64),
        own.train,
        own.val,
        own.test,
    )
    with pytest.raises(ValueError, match="same features"):
        pool_inputs(own, [other])
