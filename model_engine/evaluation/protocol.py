"""Run the walk-forward protocol on one series and score every model out of sample."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import numpy.typing as npt

from model_engine.datasets.labels import classify, flat_band
from model_engine.datasets.normalise import Normaliser
from model_engine.evaluation.config import BASELINES, DL_MODELS, DlConfig, ProtocolConfig
from model_engine.evaluation.data import Dataset
from model_engine.evaluation.folds import Fold, make_folds
from model_engine.evaluation.models import (
    FoldInputs,
    IntArray,
    Predictor,
    fit_lightgbm,
    fit_logreg,
    score_of,
)
from model_engine.evaluation.pooling import check_peers, fold_peers, pool_inputs
from model_engine.evaluation.scoring import (
    OosSeries,
    Scored,
    blend,
    oos_series,
    score_run,
    seed_ensemble,
    summarise,
)
from model_engine.evaluation.significance import rank_ic_difference, sharpe_difference

_log = logging.getLogger(__name__)
Fitter = Callable[[FoldInputs, int], Predictor]


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
    fit_dl: Callable[[str, FoldInputs, DlConfig, int], Predictor],
    kind: str,
    config: ProtocolConfig,
    inputs: FoldInputs,
    seed: int,
) -> Predictor:
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


def _fold_inputs(
    data: Dataset, fold: Fold, config: ProtocolConfig, normaliser: Normaliser | None = None
) -> FoldInputs:
    """The fold's labelled, standardised rows (by `normaliser`, else fitted on its own)."""
    band = flat_band(data.fwd_return[fold.train], config.flat_fraction)
    labels = (
        classify(np.nan_to_num(data.fwd_return), band)
        if config.labels == "fixed"
        else barrier_labels(data, band)
    )
    normaliser = normaliser or Normaliser.fit(data.features[fold.train])
    features = normaliser.apply(np.nan_to_num(data.features))
    test = np.concatenate([period.index for period in fold.tests])
    return FoldInputs(features, labels, fold.train, fold.val, test)


Peer = tuple[Dataset, list[Fold]]


def training_inputs(
    data: Dataset, fold: Fold, config: ProtocolConfig, peers: list[Peer]
) -> FoldInputs:
    """The fold's inputs, with the peers' training rows of the same year added (pooled)."""
    matched = fold_peers(fold, peers)
    shared = None
    if config.normalise == "pooled":
        rows = [data.features[fold.train], *(peer.features[f.train] for peer, f in matched)]
        shared = Normaliser.fit(np.concatenate(rows))
    own = _fold_inputs(data, fold, config, shared)
    others = [_fold_inputs(peer, match, config, shared) for peer, match in matched]
    return pool_inputs(own, others) if others else own


def barrier_labels(data: Dataset, band: float) -> IntArray:
    """Triple-barrier classes of every row, barriers at ``close * (1 ± (e^band - 1))``.

    Raises
    ------
    ValueError
        If `data` was built without its candles.
    """
    from model_engine.datasets.labels import LabelSpec, make_labels

    if data.bars is None:
        raise ValueError("triple-barrier labels need the candles (build the dataset from them)")
    spec = LabelSpec(data.horizon, float(np.expm1(band)) * 1e4, "triple_barrier")
    return make_labels(data.bars, spec)[0]


def run_folds(
    data: Dataset, folds: list[Fold], config: ProtocolConfig, peers: list[Peer] | None = None
) -> dict[str, list[Scored]]:
    """Fit every model of `config` on every fold (DL models once per seed); keep their scores.

    `peers` (other series and their folds) add their training rows of the same year to every
    learned model's training set (pooled training).
    """
    fitters = _fitters(config)
    runs: dict[str, list[Scored]] = {
        name: [Scored() for _ in (config.dl.seeds if name in DL_MODELS else (0,))]
        for name in config.models
    }
    for fold in folds:
        inputs = training_inputs(data, fold, config, peers or [])
        for name, fit in fitters.items():
            seeds = config.dl.seeds if name in DL_MODELS else (0,)
            for run, seed in zip(runs[name], seeds, strict=True):
                began = time.perf_counter()
                predict = fit(inputs, seed)
                run.val.append(score_of(predict(inputs.val)))
                run.test.append(score_of(predict(inputs.test)))
                _log.info(
                    "fold %d %s seed %d: %.1f s", fold.year, name, seed, time.perf_counter() - began
                )
        if "buy_and_hold" in runs:
            run = runs["buy_and_hold"][0]
            run.always_long = True
            run.val.append(np.ones(inputs.val.size))
            run.test.append(np.ones(inputs.test.size))
        if "repeat_last" in runs:
            runs["repeat_last"][0].val.append(data.past_return[inputs.val])
            runs["repeat_last"][0].test.append(data.past_return[inputs.test])
    return runs


def _folds(data: Dataset, bar_ms: int, config: ProtocolConfig) -> list[Fold]:
    valid = valid_rows(data, config.dl.window)
    return make_folds(data.ts_close_ms, valid, data.horizon, bar_ms, config)


def evaluate_series(
    data: Dataset, bar_ms: int, config: ProtocolConfig, peers: list[Dataset] | None = None
) -> dict[str, object]:
    """Run the protocol on one series; return folds, OOS bounds and per-model metrics.

    `peers` are the datasets of ``config.pool`` other than this series (same features and
    horizon): their training rows of each fold's dates join every learned model's training
    set; only `data` is scored.

    Raises
    ------
    ValueError
        Without out-of-sample data, with mismatched peers, or when ``config.pool`` names
        symbols and `peers` was not given.
    """
    if config.pool and peers is None:
        raise ValueError(
            f"the protocol trains on {', '.join(config.pool)}: pass their datasets as peers, "
            "or use pool=() to train each symbol alone"
        )
    folds = _folds(data, bar_ms, config)
    if not folds:
        raise ValueError("no out-of-sample data after the protocol's oos_start")
    check_peers(data, peers or [])
    pooled: list[Peer] = [(peer, _folds(peer, bar_ms, config)) for peer in peers or []]
    runs = run_folds(data, folds, config, pooled)
    challengers: dict[str, Scored] = {}
    dl_runs = [r for name in DL_MODELS if name in runs for r in runs[name]]
    if len(dl_runs) > 1:
        challengers["dl_ensemble"] = seed_ensemble(dl_runs)
        if "lightgbm" in runs:
            challengers["dl_lightgbm_blend"] = blend(
                challengers["dl_ensemble"],
                runs["lightgbm"][0],
                config.blend_weights,
                data,
                folds,
            )
    baselines = {name: runs[name][0] for name in BASELINES if name in runs}
    series = {
        name: oos_series(run, data, folds, config)
        for name, run in {**baselines, **challengers}.items()
    }
    models: dict[str, object] = {
        name: summarise([score_run(r, data, folds, config, series.get(name)) for r in rs])
        for name, rs in runs.items()
    }
    for name, run in challengers.items():
        models[name] = score_run(run, data, folds, config, series[name])
    tests = [p for fold in folds for p in fold.tests]
    return {
        "oos_start": int(data.ts_close_ms[tests[0].index[0]]),
        "oos_end": int(data.ts_close_ms[tests[-1].index[-1]]),
        "folds": [_fold_dict(fold, data) for fold in folds],
        "models": models,
        "comparisons": compare(list(challengers), baselines, series, config),
    }


def compare(
    challengers: list[str],
    baselines: dict[str, Scored],
    series: dict[str, OosSeries],
    config: ProtocolConfig,
) -> dict[str, dict[str, dict[str, object]]]:
    """Paired differences of each challenger against each baseline, with 95 % intervals."""
    out: dict[str, dict[str, dict[str, object]]] = {}
    for name in challengers:
        ours = series[name]
        out[name] = {
            base: {
                "sharpe": sharpe_difference(ours.net, series[base].net, config.periods_per_year),
                "rank_ic": None
                if run.always_long
                else rank_ic_difference(ours.quarter_ics(), series[base].quarter_ics()),
            }
            for base, run in baselines.items()
        }
    return out


def _fold_dict(fold: Fold, data: Dataset) -> dict[str, object]:
    ts = data.ts_close_ms
    return {
        "year": fold.year,
        "train": [int(ts[fold.train[0]]), int(ts[fold.train[-1]]), int(fold.train.size)],
        "val": [int(ts[fold.val[0]]), int(ts[fold.val[-1]]), int(fold.val.size)],
        "tests": [p.label for p in fold.tests],
    }


__all__ = [
    "barrier_labels",
    "compare",
    "evaluate_series",
    "run_folds",
    "training_inputs",
    "valid_rows",
]
