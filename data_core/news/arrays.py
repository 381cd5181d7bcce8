"""Enriched news into the arrays `feature_spec.news` aggregates per symbol and bar."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from data_core.clock import utc_to_ms
from data_core.news.entries import EnrichedNews
from feature_spec.news import EMBEDDING_DIM, NewsArrays


def news_arrays(news: Iterable[EnrichedNews], symbol: str) -> NewsArrays:
    """Return the items tagged with `symbol` as `NewsArrays` (sorted by publication time).

    Items without sentiment count as 0; items without an embedding get a zero vector, so their
    embedding components are 0.

    Parameters
    ----------
    news
        Enriched items, any order.
    symbol
        Unified symbol, e.g. ``BTC/USDT``.
    """
    chosen = [n for n in news if symbol in n.item.symbols]
    if not chosen:
        return NewsArrays.empty()
    zeros = np.zeros(EMBEDDING_DIM, dtype=np.float32)
    return NewsArrays.build(
        [utc_to_ms(n.item.ts_event) for n in chosen],
        [n.item.sentiment or 0.0 for n in chosen],
        np.stack([zeros if n.embedding is None else n.embedding for n in chosen]),
    )
