"""Evaluation tags recorded news with the same tagger as serving (`feature_spec.tagging`)."""

from __future__ import annotations

import pytest

from feature_spec.tagging import NAME_KEYWORDS, SymbolTagger
from model_engine.evaluation.news import read_items, read_rows
from tests.data_paths import data_dir


def _served(symbol: str) -> list[tuple[int, str]]:
    """Rows serving's enricher would tag with `symbol` (its `tag`, all symbols at once)."""
    tagger = SymbolTagger()
    items = [
        (ts, f"{title}\n{body}" if body else title)
        for ts, title, body in read_rows(data_dir() / "news")
        if symbol in tagger.tag(title, body)
    ]
    return sorted(items, key=lambda item: item[0])


@pytest.mark.parametrize("base", sorted(NAME_KEYWORDS))
def test_every_served_symbol_gets_the_served_tags(base: str) -> None:
    items = read_items(data_dir() / "news", f"{base}/USDT")
    assert items == _served(f"{base}/USDT")


def test_ticker_rule_and_unknown_bases() -> None:
    sol = read_items(data_dir() / "news", "SOL/USDT")
    assert sol
    assert all("sol" not in text.lower().split() or "SOL" in text for _, text in sol)
    assert read_items(data_dir() / "news", "DOGE/USDT") == []  # serving tags no DOGE either


def test_mentions_agrees_with_tag() -> None:
    tagger = SymbolTagger()
    text = "SOL and ADA lead; $eth lags under the sol"
    for symbol in (f"{base}/USDT" for base in NAME_KEYWORDS):
        assert tagger.mentions(symbol, text) == (symbol in tagger.tag(text))
    assert not tagger.mentions("BTC/USDC", "Bitcoin fell")
