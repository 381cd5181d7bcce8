"""The spec: names, warm-up, and a version that follows every definition change."""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar

import pytest

from feature_spec import DEFAULT_SPEC, NEWS_FEATURE_NAMES, FeatureSpec
from feature_spec.blocks import Block, Rsi
from feature_spec.news import DEFAULT_HALF_LIFE_SECS


def _variant(
    *,
    blocks: tuple[Block, ...] | None = None,
    warmup_bars: int | None = None,
    news_names: tuple[str, ...] | None = None,
    news_half_life_secs: float | None = None,
) -> FeatureSpec:
    base = DEFAULT_SPEC
    return FeatureSpec(
        blocks=base.blocks if blocks is None else blocks,
        warmup_bars=base.warmup_bars if warmup_bars is None else warmup_bars,
        news_names=base.news_names if news_names is None else news_names,
        news_half_life_secs=(
            base.news_half_life_secs if news_half_life_secs is None else news_half_life_secs
        ),
    )


def _swap_block(index: int, block: Block) -> FeatureSpec:
    blocks = list(DEFAULT_SPEC.blocks)
    blocks[index] = block
    return _variant(blocks=tuple(blocks))


def _rsi_index() -> int:
    return next(i for i, b in enumerate(DEFAULT_SPEC.blocks) if isinstance(b, Rsi))


def test_default_spec_has_enough_named_players() -> None:
    names = DEFAULT_SPEC.names
    assert len(names) >= 24
    assert len(set(names)) == len(names)
    assert names[-len(NEWS_FEATURE_NAMES) :] == NEWS_FEATURE_NAMES
    assert DEFAULT_SPEC.technical_names + NEWS_FEATURE_NAMES == names


@pytest.mark.parametrize(
    "name",
    [
        "rsi_14",
        "macd_line",
        "macd_signal",
        "macd_hist",
        "bb_pctb_20",
        "bb_width_20",
        "obv_slope_z",
        "ad_slope_z",
        "atr_frac_14",
        "ret_log_1",
        "ret_log_64",
        "rv_24",
        "volume_z_48",
        "range_frac",
        "close_sma_200",
        "adx_14",
        "stoch_k",
        "mfi_14",
        "tod_sin",
        "dow_cos",
        "news_sentiment_decay",
        "news_count_24h",
        "news_emb_3",
    ],
)
def test_default_spec_covers_the_required_families(name: str) -> None:
    assert name in DEFAULT_SPEC.names


def test_warmup_is_explicit_and_covers_every_block() -> None:
    assert DEFAULT_SPEC.warmup_bars == 340
    assert DEFAULT_SPEC.warmup_bars >= max(block.warmup for block in DEFAULT_SPEC.blocks)
    with pytest.raises(ValueError, match="shorter than"):
        _variant(warmup_bars=DEFAULT_SPEC.required_warmup - 1)


def test_repeated_names_are_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        _variant(blocks=(*DEFAULT_SPEC.blocks, Rsi(period=14)))


def test_version_is_a_stable_hash_of_the_definition() -> None:
    again = FeatureSpec(blocks=tuple(DEFAULT_SPEC.blocks), warmup_bars=DEFAULT_SPEC.warmup_bars)
    assert again.version == DEFAULT_SPEC.version
    assert re.fullmatch(r"fs-[0-9a-f]{16}", DEFAULT_SPEC.version)


def test_version_changes_with_a_parameter() -> None:
    assert _swap_block(_rsi_index(), Rsi(period=15)).version != DEFAULT_SPEC.version


def test_version_changes_with_a_formula() -> None:
    @dataclasses.dataclass(frozen=True)
    class RsiRescaled(Rsi):
        formula: ClassVar[str] = "rsi_n = RSI(close, n) / 100 - 0.5"

    changed = _swap_block(_rsi_index(), RsiRescaled(period=14))
    assert changed.names == DEFAULT_SPEC.names
    assert changed.version != DEFAULT_SPEC.version


def test_version_changes_with_order_warmup_and_news() -> None:
    versions = {
        DEFAULT_SPEC.version,
        _variant(blocks=DEFAULT_SPEC.blocks[::-1]).version,
        _variant(warmup_bars=DEFAULT_SPEC.warmup_bars + 1).version,
        _variant(news_half_life_secs=DEFAULT_HALF_LIFE_SECS * 2).version,
        _variant(news_names=()).version,
    }
    assert len(versions) == 5


def test_definition_is_json_ready_and_names_each_block() -> None:
    definition = DEFAULT_SPEC.definition()
    blocks = definition["blocks"]
    assert isinstance(blocks, list)
    assert [name for block in blocks for name in block["names"]] == list(
        DEFAULT_SPEC.technical_names
    )
