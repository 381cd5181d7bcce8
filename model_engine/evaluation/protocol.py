"""Run the walk-forward protocol on one series and score every model out of sample."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import numpy.typing as npt

from model_engine.datasets.normalise import Normaliser
from model_engine.evaluation import metrics as m
from model_engine.evaluation.config import DL_MODELS, DlConfig, ProtocolConfig
from model_engine.evaluation.data import Dataset
from model_engine.evaluation.folds import Fold, make_folds
from model_engine.evaluation.models import (
    FloatArray,
    FoldInputs,
    fit_lightgbm,
    fit_logreg,
    score_of,
)

_log = logging.getLogger(__name__)
Fitter = Callable[[FoldInputs, int], tuple[FloatArray, FloatArray]]


@dataclass
class Scored:
    """One model run (one seed): per test quarter scores, and positions over the whole OOS."""

    scores: list[FloatArray] = field(default_factory=list)
    positions: list[FloatArray] = field(default_factory=list)


def valid_rows(data: Dataset, window: int) -> npt.NDArray[np.bool_]:
    """Rows whose last `window` feature rows are finite and whose returns are known."""
    bad = (~np.isfinite(data.features).all(axis=1)).astype(np.int64)
    rows = int(bad.shape[0])
    bad_in_window = np.convolve(bad, np.ones(window, dtype=np.int64))[:rows]
    index = np.arange(rows)
    valid: npt.NDArray[np.bool_] = (
        (bad_in_window == 0)
        & (index >= window - 1)
        & np.isfinite(data.fwd_return)
        & np.isfinite(data.bar_return)
        & np.isfinite(data.past_return)
    )
    return valid


def _fit_dl(
    fit_dl: Callable[[str, FoldInputs, DlConfig, int], tuple[FloatArray, FloatArray]],
    kind: str,
    config: ProtocolConfig,
    inputs: FoldInputs,
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    return fit_dl(kind, inputs, config.dl, seed)


def _fitters(config: ProtocolConfig) -> dict[str, Fitter]:
    fitters: dict[str, Fitter] = {
        "lightgbm": lambda inputs, seed: fit_lightgbm(inputs, config, seed),
        "logreg": lambda inputs, seed: fit_logreg(inputs, config, seed),
    }
    for kind in DL_MODELS:
        if kind in config.models:
            from model_engine.evaluation.dl import fit_dl

            fitters[kind] = partial(_fit_dl, fit_dl, kind, config)
    return {name: fit for name, fit in fitters.items() if name in config.models}


def _add(
    scored: Scored,
    fold: Fold,
    val_score: FloatArray,
    test_score: FloatArray,
    data: Dataset,
    config: ProtocolConfig,
    threshold: float | None = None,
) -> None:
    if threshold is None:
        threshold = m.choose_threshold(
            val_score,
            data.bar_return[fold.val],
            config.threshold_quantiles,
            config.fee_per_side,
            config.periods_per_year,
        )
    scored.positions.append((test_score > threshold).astype(np.float64))
    start = 0
    for period in fold.tests:
        scored.scores.append(test_score[start : start + period.index.size])
        start += period.index.size


def _fold_inputs(data: Dataset, fold: Fold, config: ProtocolConfig) -> FoldInputs:
    band = m.flat_band(data.fwd_return[fold.train], config.flat_fraction)
    labels = m.make_labels(np.nan_to_num(data.fwd_return), band)
    normaliser = Normaliser.fit(data.features[fold.train])
    features = normaliser.apply(np.nan_to_num(data.features))
    test = np.concatenate([period.index for period in fold.tests])
    return FoldInputs(features, labels, fold.train, fold.val, test)


def run_folds(data: Dataset, folds: list[Fold], config: ProtocolConfig) -> dict[str, list[Scored]]:
    """Fit and score every model of `config` on every fold; DL models once per seed."""
    fitters = _fitters(config)
    runs: dict[str, list[Scored]] = {
        name: [Scored() for _ in (config.dl.seeds if name in DL_MODELS else (0,))]
        for name in config.models
    }
    for fold in folds:
        inputs = _fold_inputs(data, fold, config)
        for name, fit in fitters.items():
            seeds = config.dl.seeds if name in DL_MODELS else (0,)
            for run, seed in zip(runs[name], seeds, strict=True):
                began = time.perf_counter()
                val_proba, test_proba = fit(inputs, seed)
                _add(run, fold, score_of(val_proba), score_of(test_proba), data, config)
                _log.info(
                    "fold %d %s seed %d: %.1f s", fold.year, name, seed, time.perf_counter() - began
                )
        if "buy_and_hold" in runs:
            _add(
                runs["buy_and_hold"][0],
                fold,
                np.ones(inputs.val.size),
                np.ones(inputs.test.size),
                data,
                config,
                threshold=0.0,
            )
        if "repeat_last" in runs:
            _add(
                runs["repeat_last"][0],
                fold,
                data.past_return[inputs.val],
                data.past_return[inputs.test],
                data,
                config,
            )
    return runs


def score_run(
    run: Scored,
    data: Dataset,
    folds: list[Fold],
    config: ProtocolConfig,
) -> dict[str, float | None]:
    """Out-of-sample metrics of one run over all test quarters of `folds`."""
    index = [period.index for fold in folds for period in fold.tests]
    fwds = [data.fwd_return[i] for i in index]
    score, fwd = np.concatenate(run.scores), np.concatenate(fwds)
    net = m.net_returns(
        np.concatenate(run.positions), data.bar_return[np.concatenate(index)], config.fee_per_side
    )
    return {
        "accuracy": m.accuracy(score, fwd),
        "balanced_accuracy": m.balanced_accuracy(score, fwd),
        "top_decile_accuracy": m.top_accuracy(score, fwd, config.top_fraction),
        "rank_ic": m.mean_rank_ic(run.scores, fwds),
        "net_return_pct": m.total_return_pct(net),
        "sharpe": m.sharpe(net, config.periods_per_year),
        "max_drawdown_pct": m.max_drawdown_pct(net),
        "exposure": float(np.mean(np.concatenate(run.positions))),
    }


def summarise(scored: list[dict[str, float | None]]) -> dict[str, object]:
    """Mean over seeds of every metric, plus ``spread`` (std over seeds) and ``seeds``."""
    if len(scored) == 1:
        return dict(scored[0])
    out: dict[str, object] = {}
    spread: dict[str, float | None] = {}
    for key in scored[0]:
        values = [s[key] for s in scored]
        numbers = [v for v in values if v is not None]
        out[key] = float(np.mean(numbers)) if len(numbers) == len(values) else None
        spread[key] = float(np.std(numbers)) if len(numbers) == len(values) else None
    out["spread"] = spread
    out["seeds"] = len(scored)
    return out


def seed_ensemble(runs: list[Scored]) -> Scored:
    """Average the scores of several runs (threshold positions: majority of the runs)."""
    out = Scored()
    out.scores = [np.mean(parts, axis=0) for parts in zip(*(r.scores for r in runs), strict=True)]
    out.positions = [
        (np.mean(parts, axis=0) >= 0.5).astype(np.float64)
        for parts in zip(*(r.positions for r in runs), strict=True)
    ]
    return out


def evaluate_series(data: Dataset, bar_ms: int, config: ProtocolConfig) -> dict[str, object]:
    """Run the protocol on one series; return folds, OOS bounds and per-model metrics."""
    valid = valid_rows(data, config.dl.window)
    folds = make_folds(data.ts_close_ms, valid, data.horizon, bar_ms, config)
    if not folds:
        raise ValueError("no out-of-sample data after the protocol's oos_start")
    runs = run_folds(data, folds, config)
    models: dict[str, object] = {
        name: summarise([score_run(r, data, folds, config) for r in rs])
        for name, rs in runs.items()
    }
    dl_runs = [r for name in DL_MODELS if name in runs for r in runs[name]]
    if len(dl_runs) > 1:
        models["dl_ensemble"] = score_run(seed_ensemble(dl_runs), data, folds, config)
    tests = [p for fold in folds for p in fold.tests]
    return {
        "oos_start": int(data.ts_close_ms[tests[0].index[0]]),
        "oos_end": int(data.ts_close_ms[tests[-1].index[-1]]),
        "folds": [_fold_dict(fold, data) for fold in folds],
        "models": models,
    }


def _fold_dict(fold: Fold, data: Dataset) -> dict[str, object]:
    ts = data.ts_close_ms
    return {
        "year": fold.year,
        "train": [int(ts[fold.train[0]]), int(ts[fold.train[-1]]), int(fold.train.size)],
        "val": [int(ts[fold.val[0]]), int(ts[fold.val[-1]]), int(fold.val.size)],
        "tests": [p.label for p in fold.tests],
    }


__all__ = ["Scored", "evaluate_series", "run_folds", "score_run", "summarise", "valid_rows"]
