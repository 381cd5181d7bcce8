"""Score runs out of sample: strategy rule per fold (chosen on validation), metrics, ensembles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model_engine.evaluation import metrics as m
from model_engine.evaluation.config import ProtocolConfig
from model_engine.evaluation.data import Dataset
from model_engine.evaluation.folds import Fold
from model_engine.evaluation.models import FloatArray
from model_engine.evaluation.strategy import ALWAYS_LONG, Rule, candidates, choose_rule, positions


@dataclass
class Scored:
    """One model run (one seed): validation and test scores of each fold."""

    val: list[FloatArray] = field(default_factory=list)
    test: list[FloatArray] = field(default_factory=list)
    always_long: bool = False
    notes: list[dict[str, object]] = field(default_factory=list)


def fold_rule(run: Scored, k: int, fold: Fold, data: Dataset, config: ProtocolConfig) -> Rule:
    """Return the strategy rule of fold `k`, chosen on its validation period only."""
    if run.always_long:
        return ALWAYS_LONG
    rules = candidates(
        run.val[k],
        data.horizon,
        config.threshold_quantiles,
        config.exit_gaps,
        config.hold_multiples,
    )
    return choose_rule(
        run.val[k],
        data.bar_return[fold.val],
        rules,
        config.fee_per_side,
        config.periods_per_year,
    )


@dataclass(frozen=True)
class OosSeries:
    """A run's out-of-sample scores and realised returns per test quarter, and its strategy."""

    scores: list[FloatArray]
    fwds: list[FloatArray]
    position: FloatArray
    net: FloatArray
    rules: list[dict[str, float | int | bool]]

    def quarter_ics(self) -> list[float | None]:
        """Rank IC of each test quarter (None where undefined)."""
        return [m.rank_ic(s, f) for s, f in zip(self.scores, self.fwds, strict=True)]


def oos_series(run: Scored, data: Dataset, folds: list[Fold], config: ProtocolConfig) -> OosSeries:
    """Concatenate a run's test quarters and trade them with each fold's validation rule."""
    scores, fwds, held, bars, rules = [], [], [], [], []
    for k, fold in enumerate(folds):
        rule = fold_rule(run, k, fold, data, config)
        rules.append(rule.describe())
        held.append(positions(run.test[k], rule))
        start = 0
        for period in fold.tests:
            scores.append(run.test[k][start : start + period.index.size])
            fwds.append(data.fwd_return[period.index])
            bars.append(data.bar_return[period.index])
            start += period.index.size
    position = np.concatenate(held)
    net = m.net_returns(position, np.concatenate(bars), config.fee_per_side)
    return OosSeries(scores, fwds, position, net, rules)


def yearly(net: FloatArray, folds: list[Fold], config: ProtocolConfig) -> dict[str, object]:
    """Net return (%) and Sharpe of the strategy in each fold's test year."""
    out: dict[str, object] = {}
    start = 0
    for fold in folds:
        size = sum(period.index.size for period in fold.tests)
        part = net[start : start + size]
        out[str(fold.year)] = {
            "net_return_pct": m.total_return_pct(part),
            "sharpe": m.sharpe(part, config.periods_per_year),
        }
        start += size
    return out


def score_run(
    run: Scored,
    data: Dataset,
    folds: list[Fold],
    config: ProtocolConfig,
    series: OosSeries | None = None,
) -> dict[str, object]:
    """Out-of-sample metrics of one run over all test quarters of `folds` (`series`: the
    run's `oos_series`, when it is already at hand)."""
    series = series or oos_series(run, data, folds, config)
    score, fwd = np.concatenate(series.scores), np.concatenate(series.fwds)
    position, net = series.position, series.net
    return {
        "accuracy": m.accuracy(score, fwd),
        "balanced_accuracy": m.balanced_accuracy(score, fwd),
        "top_decile_accuracy": m.top_accuracy(score, fwd, config.top_fraction),
        "rank_ic": None if run.always_long else m.mean_rank_ic(series.scores, series.fwds),
        "net_return_pct": m.total_return_pct(net),
        "sharpe": m.sharpe(net, config.periods_per_year),
        "max_drawdown_pct": m.max_drawdown_pct(net),
        "exposure": float(np.mean(position)),
        "trades_per_year": float(
            np.abs(np.diff(position, prepend=0.0)).sum() / 2 / (position.size / 8760)
        ),
        "rules": series.rules,
        "years": yearly(net, folds, config),
        **({"folds": run.notes} if run.notes else {}),
    }


def summarise(scored: list[dict[str, object]]) -> dict[str, object]:
    """Mean over seeds of every numeric metric, plus ``spread`` (std over seeds) and ``seeds``."""
    if len(scored) == 1:
        return dict(scored[0])
    out: dict[str, object] = {}
    spread: dict[str, float | None] = {}
    for key in scored[0]:
        values = [s[key] for s in scored]
        if key in ("rules", "folds"):
            continue
        if key == "years":
            out[key] = _mean_years([v for v in values if isinstance(v, dict)])
            continue
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        whole = len(numbers) == len(values)
        out[key] = float(np.mean(numbers)) if whole else None
        spread[key] = float(np.std(numbers)) if whole else None
    out["spread"] = spread
    out["seeds"] = len(scored)
    return out


def _mean_years(runs: list[dict[str, Any]]) -> dict[str, object]:
    """Per-year metrics averaged over seeds (None where a seed has none)."""
    out: dict[str, object] = {}
    for year, first in runs[0].items():
        out[year] = {
            key: None
            if any(r[year][key] is None for r in runs)
            else float(np.mean([r[year][key] for r in runs]))
            for key in first
        }
    return out


def seed_ensemble(runs: list[Scored]) -> Scored:
    """Average the validation and test scores of several runs (the rule is then re-chosen)."""
    return Scored(
        val=[np.mean(parts, axis=0) for parts in zip(*(r.val for r in runs), strict=True)],
        test=[np.mean(parts, axis=0) for parts in zip(*(r.test for r in runs), strict=True)],
    )


def _standardise(val: FloatArray, test: FloatArray) -> tuple[FloatArray, FloatArray]:
    mean, std = float(np.mean(val)), float(np.std(val)) or 1.0
    return (val - mean) / std, (test - mean) / std


def blend(
    dl: Scored, other: Scored, weights: tuple[float, ...], data: Dataset, folds: list[Fold]
) -> Scored:
    """Blend ``w * dl + (1 - w) * other`` per fold, scores standardised by validation stats.

    `w` is the weight of `weights` with the best validation rank IC (ties: the earlier one).
    """
    out = Scored()
    for k, fold in enumerate(folds):
        dl_val, dl_test = _standardise(dl.val[k], dl.test[k])
        ot_val, ot_test = _standardise(other.val[k], other.test[k])
        fwd = data.fwd_return[fold.val]
        best, best_ic = weights[0], -np.inf
        for w in weights:
            ic = m.rank_ic(w * dl_val + (1 - w) * ot_val, fwd)
            if ic is not None and ic > best_ic:
                best, best_ic = w, ic
        out.val.append(best * dl_val + (1 - best) * ot_val)
        out.test.append(best * dl_test + (1 - best) * ot_test)
        out.notes.append({"year": fold.year, "dl_weight": best})
    return out


__all__ = [
    "OosSeries",
    "Scored",
    "blend",
    "fold_rule",
    "oos_series",
    "score_run",
    "seed_ensemble",
    "summarise",
    "yearly",
]
