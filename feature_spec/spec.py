"""The feature spec: ordered blocks, explicit warm-up, news columns and a content version.

The version is a hash of the canonical definition (every block's kind, formula, parameters and
names, the warm-up, and the news feature definition), so a model artifact records exactly
which features it was trained on and serving can refuse a mismatch.

News features plug in as pass-through columns at the end of the row: `feature_spec.news`
computes them (``news_features`` in batch, ``NewsAccumulator.row_at`` when streaming) from items
published strictly before the bar's close, in the order of ``NEWS_FEATURE_NAMES``. The batch and
streaming engines copy them unchanged; "no news" is a row of zeros.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from feature_spec import news
from feature_spec.blocks import (
    Adx,
    Atr,
    Block,
    Bollinger,
    Calendar,
    CandleShape,
    Efficiency,
    FlowSlopeZ,
    LogReturns,
    Macd,
    Mfi,
    RealisedVolatility,
    Rsi,
    SmaRatios,
    Stochastic,
    VolumeZ,
    VwapDeviation,
)

SPEC_FORMAT = 1
"""Bump when the meaning of the definition itself (not a feature) changes."""


def news_definition(names: tuple[str, ...], half_life_secs: float) -> dict[str, object]:
    """Return the canonical definition of the news columns (constants of `feature_spec.news`)."""
    return {
        "names": list(names),
        "aggregation": news.AGGREGATION,
        "half_life_secs": half_life_secs,
        "count_window_ms": news.COUNT_WINDOW_MS,
        "lookback_half_lives": news.LOOKBACK_HALF_LIVES,
        "embedding_dim": news.EMBEDDING_DIM,
        "projection_dim": news.PROJECTION_DIM,
        "projection_seed": news.PROJECTION_SEED,
        "no_news": "zeros; items count when published strictly before the bar's close",
    }


@dataclass(frozen=True)
class FeatureSpec:
    """An ordered set of features shared by training and serving.

    Parameters
    ----------
    blocks
        Technical feature blocks, in column order.
    warmup_bars
        Rows ``0 .. warmup_bars - 1`` of every series are NaN; from row `warmup_bars` on every
        value is defined and finite. Must cover every block's own warm-up (settling included).
    news_names
        Names of the news columns appended after the technical ones (empty: no news columns).
    news_half_life_secs
        Half-life the news columns are computed with (pass it to `feature_spec.news`).

    Raises
    ------
    ValueError
        If names repeat, or `warmup_bars` is shorter than a block needs.
    """

    blocks: tuple[Block, ...]
    warmup_bars: int
    news_names: tuple[str, ...] = news.NEWS_FEATURE_NAMES
    news_half_life_secs: float = field(default=news.DEFAULT_HALF_LIFE_SECS)

    def __post_init__(self) -> None:
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"feature names repeat: {self.names}")
        if self.warmup_bars < self.required_warmup:
            raise ValueError(
                f"warmup_bars={self.warmup_bars} is shorter than the {self.required_warmup} bars "
                "the blocks need"
            )

    @cached_property
    def technical_names(self) -> tuple[str, ...]:
        """Names of the block columns, in order."""
        return tuple(name for block in self.blocks for name in block.names)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """All feature names, in column order: technical, then news."""
        return (*self.technical_names, *self.news_names)

    @property
    def required_warmup(self) -> int:
        """Return the longest warm-up any block needs."""
        return max((block.warmup for block in self.blocks), default=0)

    def definition(self) -> dict[str, object]:
        """Return the canonical definition (JSON-ready) that `version` hashes."""
        return {
            "format": SPEC_FORMAT,
            "warmup_bars": self.warmup_bars,
            "blocks": [block.definition() for block in self.blocks],
            "news": news_definition(self.news_names, self.news_half_life_secs),
        }

    @cached_property
    def version(self) -> str:
        """Return ``fs-`` and the first 16 hex digits of the definition's sha256."""
        canonical = json.dumps(self.definition(), sort_keys=True, separators=(",", ":"))
        return "fs-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


DEFAULT_SPEC = FeatureSpec(
    blocks=(
        LogReturns(horizons=(1, 4, 16, 64)),
        RealisedVolatility(short=24, long=96),
        Efficiency(period=16),
        Rsi(period=14),
        Macd(fast=12, slow=26, signal=9),
        Bollinger(period=20, width=2.0),
        Atr(period=14),
        CandleShape(),
        SmaRatios(periods=(50, 200)),
        Adx(period=14),
        Stochastic(fastk=14, slowk=3, slowd=3),
        Mfi(period=14),
        FlowSlopeZ(source="obv", slope=14, period=96),
        FlowSlopeZ(source="ad", slope=14, period=96),
        VolumeZ(period=48),
        VwapDeviation(period=24),
        Calendar(),
    ),
    warmup_bars=340,
)
"""The platform's features: 31 technical plus the 6 news columns (37 in all)."""

__all__ = ["DEFAULT_SPEC", "SPEC_FORMAT", "FeatureSpec", "news_definition"]
