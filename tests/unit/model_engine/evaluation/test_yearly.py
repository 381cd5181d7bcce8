"""Per-year strategy metrics: each fold's test bars, in order, and averaged over seeds."""

from __future__ import annotations

import numpy as np
import pytest

from model_engine.evaluation import metrics as m
from model_engine.evaluation.config import ProtocolConfig
from model_engine.evaluation.folds import Fold, TestPeriod
from model_engine.evaluation.report import year_table
from model_engine.evaluation.scoring import summarise, yearly

EMPTY = np.zeros(0, dtype=np.int64)


def _fold(year: int, sizes: tuple[int, ...]) -> Fold:
    tests = tuple(
        TestPeriod(f"{year}Q{q + 1}", 0, 1, np.arange(size, dtype=np.int64))
        for q, size in enumerate(sizes)
    )
    return Fold(year, 0, 0, 0, EMPTY, EMPTY, tests)


def test_each_year_scores_its_own_bars() -> None:
    config = ProtocolConfig()
    net = np.concatenate([np.full(5, 0.01), np.array([0.02, -0.01, 0.03, -0.02])])
    years = yearly(net, [_fold(2021, (2, 3)), _fold(2022, (4,))], config)
    assert list(years) == ["2021", "2022"]
    assert years["2021"] == {"net_return_pct": pytest.approx(5.101005), "sharpe": None}
    second = net[5:]
    assert years["2022"] == {
        "net_return_pct": pytest.approx(m.total_return_pct(second)),
        "sharpe": pytest.approx(m.sharpe(second, config.periods_per_year)),
    }


def test_seeds_average_per_year_and_the_report_shows_it() -> None:
    runs = [
        {"sharpe": 1.0, "years": {"2021": {"sharpe": 1.0, "net_return_pct": 10.0}}},
        {"sharpe": 2.0, "years": {"2021": {"sharpe": 3.0, "net_return_pct": None}}},
    ]
    merged = summarise(runs)
    assert merged["years"] == {"2021": {"sharpe": 2.0, "net_return_pct": None}}
    rows = year_table({"lstm": merged, "logreg": runs[0]})
    assert "| lstm | n/a |" in rows
    assert "| logreg | 1.00 (+10.0 %) |" in rows
