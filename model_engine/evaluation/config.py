"""The walk-forward protocol as one frozen configuration (the defaults are the protocol)."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DL_MODELS = ("lstm", "transformer")
BASELINES = ("lightgbm", "logreg", "buy_and_hold", "repeat_last")
POOL_1H = ("BTC/USDT", "ETH/USDT", "XRP/USDT", "ADA/USDT", "LTC/USDT", "SOL/USDT", "BNB/USDT")
"""The seven 1h pairs of the shared data: the default protocol's training universe."""


class DlConfig(BaseModel):
    """Size and training budget of the deep-learning models (sized for 2 shared CPU cores)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window: int = Field(24, ge=2, description="bars of features per input window")
    hidden: int = Field(32, ge=4, description="LSTM hidden size / Transformer d_model")
    layers: int = Field(1, ge=1)
    heads: int = Field(4, ge=1, description="Transformer attention heads")
    dropout: float = Field(0.1, ge=0.0, lt=1.0)
    skip: bool = Field(True, description="linear path from the last row to the logits")
    max_epochs: int = Field(8, ge=1)
    patience: int = Field(2, ge=1, description="epochs without validation-loss gain before stop")
    batch_size: int = Field(256, ge=8)
    learning_rate: float = Field(1e-3, gt=0.0)
    weight_decay: float = Field(1e-4, ge=0.0)
    train_stride: int = Field(2, ge=1, description="keep every n-th training window")
    seeds: tuple[int, ...] = Field((0, 1, 2), min_length=1)


class ProtocolConfig(BaseModel):
    """One walk-forward protocol; the defaults are the published default protocol.

    Folds are calendar years: a model trained on ``[Y - train_years, Y)`` (its last
    ``val_fraction`` held out for early stopping and the strategy threshold, after a purge) is
    tested on the quarters of year ``Y`` for ``Y = oos_start.year ..`` the end of the data.
    A training (or validation) sample is kept only when its label ends at least
    ``embargo_bars`` before the next period starts, so the gap is ``horizon + embargo`` bars.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    oos_start: date = date(2021, 1, 1)
    train_years: int = Field(2, ge=1)
    retrain_months: int = Field(12, description="one model per calendar year")
    test_quarters: int = Field(4, ge=1, le=4, description="quarters tested per model")
    max_folds: int | None = Field(None, ge=1, description="stop after this many models (quick)")
    embargo_bars: int = Field(24, ge=0, description="extra bars purged beyond the label horizon")
    val_fraction: float = Field(0.125, gt=0.0, lt=0.5, description="tail of training for val")
    labels: Literal["fixed", "triple_barrier"] = Field(
        "fixed", description="fixed band on the forward return, or triple barrier (same band)"
    )
    flat_fraction: float = Field(
        1 / 3, ge=0.0, lt=1.0, description="share of TRAINING labels inside the flat band"
    )
    fee_per_side: float = Field(0.001, ge=0.0)
    periods_per_year: float = 24.0 * 365.0
    threshold_quantiles: tuple[float, ...] = Field(
        (0.0, 0.5, 0.6, 0.7, 0.8, 0.9), description="entry thresholds: validation quantiles"
    )
    exit_gaps: tuple[float, ...] = Field(
        (0.0, 0.2, 0.4), description="exit quantile = entry quantile - gap (hysteresis)"
    )
    hold_multiples: tuple[int, ...] = Field(
        (1, 6, 24), description="minimum holds tried, in label horizons"
    )
    pool: tuple[str, ...] = Field(
        POOL_1H,
        description="symbols whose training rows of the same dates join every learned model's "
        "training set (each labelled on its own rows; never scored)",
    )
    normalise: Literal["per_pair", "pooled"] = Field(
        "pooled",
        description="standardise each pair on its own training rows, or all pairs with one "
        "normaliser fitted on every pooled training row (as `ntx train` does; stage 10)",
    )
    blend_weights: tuple[float, ...] = Field(
        (0.0, 0.25, 0.5, 0.75, 1.0), description="DL weights tried in the DL+LightGBM blend"
    )
    news: bool = Field(True, description="add the recorded-news features (zeros without news)")
    top_fraction: float = Field(0.1, gt=0.0, le=1.0, description="most confident share scored")
    lgbm_estimators: int = Field(400, ge=1)
    lgbm_leaves: int = Field(15, ge=2)
    models: tuple[str, ...] = DL_MODELS + BASELINES
    dl: DlConfig = DlConfig()


def quick_config() -> ProtocolConfig:
    """Return the tiny protocol used by tests: one fold, one quarter, a tiny one-seed DL model,
    each symbol trained alone."""
    tiny = DlConfig(
        window=8, hidden=8, heads=2, max_epochs=1, patience=1, train_stride=8, seeds=(0,)
    )
    return ProtocolConfig(max_folds=1, test_quarters=1, lgbm_estimators=50, pool=(), dl=tiny)


DEV_OOS_START = date(2020, 1, 1)
"""Start of the development year: before every test period of the default protocol."""


def dev_config(config: ProtocolConfig) -> ProtocolConfig:
    """Return `config` moved to the development fold: trained on 2018-2019, tested on 2020.

    Design choices (horizon, features, sizes) are compared here, never on the test periods
    (2021 on) of the default protocol.
    """
    return config.model_copy(update={"oos_start": DEV_OOS_START, "max_folds": 1})


def with_overrides(config: ProtocolConfig, overrides: list[str]) -> ProtocolConfig:
    """Return `config` with ``key=value`` overrides (``dl.window=72``; values parsed as JSON).

    Raises
    ------
    ValueError
        On a malformed override or a value the protocol refuses (unknown key, wrong type).
    """
    data = config.model_dump()
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"override {item!r}: expected key=value, e.g. dl.window=72")
        *parents, leaf = key.strip().split(".")
        target = data
        for part in parents:
            if not isinstance(target.get(part), dict):
                raise ValueError(f"override {item!r}: {part!r} is not a section of the protocol")
            target = target[part]
        if leaf not in target:
            raise ValueError(f"override {item!r}: unknown setting {leaf!r}")
        try:
            target[leaf] = json.loads(raw)
        except json.JSONDecodeError:
            target[leaf] = raw
    try:
        return ProtocolConfig.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"override refused: {exc}") from exc


__all__ = [
    "BASELINES",
    "DEV_OOS_START",
    "DL_MODELS",
    "POOL_1H",
    "DlConfig",
    "ProtocolConfig",
    "dev_config",
    "quick_config",
    "with_overrides",
]
