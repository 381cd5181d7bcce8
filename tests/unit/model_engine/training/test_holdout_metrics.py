"""Holdout metrics on hand-computed arrays: the model against the majority class and the
training labels' class prior (the naive forecast)."""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import numpy.typing as npt
import pytest

from model_engine.datasets import Windows
from model_engine.training import TrainedModel
from model_engine.training.pipeline import class_shares, holdout_metrics, probability_metrics

LN2 = math.log(2.0)
PROBA = np.array(
    [
        [0.50, 0.25, 0.25],  # picks down, label down
        [0.25, 0.50, 0.25],  # picks flat, label up
        [0.25, 0.25, 0.50],  # picks up, label up
        [0.50, 0.25, 0.25],  # picks down, label flat
    ]
)
LABELS = np.array([0, 2, 2, 1])
PRIOR = np.array([0.50, 0.25, 0.25])  # the training labels' shares (down, flat, up)


def test_model_and_naive_baselines_by_hand() -> None:
    m = probability_metrics(PROBA, LABELS, PRIOR)
    assert m["accuracy"] == pytest.approx(0.5)  # rows 0 and 2
    # -(ln .5 + ln .25 + ln .5 + ln .25) / 4
    assert m["log_loss"] == pytest.approx(1.5 * LN2)
    assert m["majority_accuracy"] == pytest.approx(0.5)  # "up" is half the labels
    # always forecasting the prior: -(ln .5 + 3 ln .25) / 4, worse than the model here
    assert m["prior_log_loss"] == pytest.approx(1.75 * LN2)
    assert m["log_loss"] < m["prior_log_loss"]
    assert m["n_windows"] == 4
    shares = [m["share_down"], m["share_flat"], m["share_up"]]
    assert shares == pytest.approx([0.25, 0.25, 0.5])
    picked = [m["predicted_down"], m["predicted_flat"], m["predicted_up"]]
    assert picked == pytest.approx([0.5, 0.25, 0.25])


def test_the_prior_is_the_training_shares_not_the_holdouts() -> None:
    # a prior equal to the holdout's own shares scores their entropy, not the training one's
    own = probability_metrics(PROBA, LABELS, [0.25, 0.25, 0.5])
    assert own["prior_log_loss"] == pytest.approx(1.5 * LN2)
    # the prior may be given as counts, and a class it never saw costs ln 1e12, not inf
    counts = probability_metrics(PROBA, LABELS, [2, 1, 1])
    assert counts["prior_log_loss"] == pytest.approx(1.75 * LN2)
    unseen = probability_metrics(PROBA, LABELS, [1.0, 0.0, 1.0])
    assert unseen["prior_log_loss"] == pytest.approx((3 * LN2 + 12 * math.log(10)) / 4)


def test_class_shares_of_training_labels() -> None:
    np.testing.assert_allclose(class_shares([0, 0, 1, 2, 2, 2]), [1 / 3, 1 / 6, 1 / 2])
    np.testing.assert_allclose(class_shares(np.array([], dtype=np.int64)), [0.0, 0.0, 0.0])


class _Fixed:
    """Stands in for a trained model: the same probabilities for any windows."""

    def predict_proba(self, x: Windows) -> npt.NDArray[np.float64]:
        return PROBA[: len(x)]


def test_holdout_metrics_scores_the_model_on_the_holdout_labels() -> None:
    n = len(LABELS)
    val = Windows(
        features=np.zeros((n, 2), dtype=np.float32),
        end_index=np.arange(n, dtype=np.int64),
        window=1,
        y=LABELS,
        ts_close_ms=np.arange(n, dtype=np.int64),
        label_end_ms=np.arange(n, dtype=np.int64) + 1,
        fwd_return=np.zeros(n),
    )
    m = holdout_metrics(cast(TrainedModel, _Fixed()), val, class_shares([0, 0, 1, 2]))
    assert m["log_loss"] == pytest.approx(1.5 * LN2)
    assert m["prior_log_loss"] == pytest.approx(1.75 * LN2)
