"""News features: fixed projection, no look-ahead, and batch == streaming on real headlines."""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pytest

from feature_spec.news import (
    COUNT_WINDOW_MS,
    EMBEDDING_DIM,
    NEWS_FEATURE_NAMES,
    NewsAccumulator,
    NewsArrays,
    news_features,
    project_embedding,
    projection_matrix,
)
from tests.data_paths import load_candles, news_file

HOUR_MS = 3_600_000
HALF_LIFE = 6 * 3600.0


def unit_vectors(n: int, seed: int = 7) -> np.ndarray:
    """Stand-ins for MiniLM embeddings (the real model is tested in data_core's tests)."""
    raw = np.random.default_rng(seed).standard_normal((n, EMBEDDING_DIM)).astype(np.float32)
    unit: np.ndarray = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    return unit


def btc_news() -> NewsArrays:
    """Real r/CryptoCurrency titles (reddit_posts) naming bitcoin, with VADER sentiment."""
    from data_core.news.sentiment.vader import VaderSentiment
    from feature_spec.tagging import SymbolTagger

    with gzip.open(news_file("reddit_posts"), "rt", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if "BTC/USDT" in SymbolTagger().tag(r["title"])]
    scores = VaderSentiment().score([r["title"] for r in rows])
    return NewsArrays.build([int(r["timestamp"]) for r in rows], scores, unit_vectors(len(rows)))


def btc_bar_closes(start_ms: int, end_ms: int) -> np.ndarray:
    """Close times of the real BTC/USDT 1h candles opening in [start, end]."""
    opens = load_candles("BTC/USDT", "1h", start_ms, end_ms + 1).ts_open_ms
    assert np.all(np.diff(opens) == HOUR_MS)  # every hour of the span is in the test data
    return opens + HOUR_MS


def test_names() -> None:
    assert NEWS_FEATURE_NAMES == (
        "news_sentiment_decay",
        "news_count_24h",
        "news_emb_0",
        "news_emb_1",
        "news_emb_2",
        "news_emb_3",
    )


def test_projection_is_fixed_and_orthonormal() -> None:
    matrix = projection_matrix()
    assert matrix.shape == (EMBEDDING_DIM, 4)
    np.testing.assert_allclose(matrix.T @ matrix, np.eye(4), atol=1e-12)
    # Pinned: a change here changes every model's news inputs (bump the spec version).
    np.testing.assert_allclose(
        matrix[0], [-0.0346921089, 0.0528675034, 0.0090234141, -0.0764737596], atol=1e-9
    )


def test_projection_of_one_equals_projection_in_a_batch() -> None:
    vectors = unit_vectors(50)
    batch = project_embedding(vectors)
    singles = np.stack([project_embedding(v) for v in vectors])
    assert np.array_equal(batch, singles)
    with pytest.raises(ValueError, match="384"):
        project_embedding(np.zeros(10))


def test_no_news_is_zeros_and_a_normal_state() -> None:
    closes = np.arange(5, dtype=np.int64) * HOUR_MS
    assert np.array_equal(news_features(NewsArrays.empty(), closes), np.zeros((5, 6)))
    assert np.array_equal(NewsAccumulator().row_at(HOUR_MS), np.zeros(6))


def test_an_item_counts_only_for_bars_closing_after_it() -> None:
    t = 10 * HOUR_MS
    items = NewsArrays.build([t], [0.8], unit_vectors(1))
    closes = np.array([t - HOUR_MS, t, t + 1, t + COUNT_WINDOW_MS, t + COUNT_WINDOW_MS + 1])
    rows = news_features(items, closes, HALF_LIFE)
    assert np.array_equal(rows[:2], np.zeros((2, 6)))
    assert rows[2, 1] == 1.0
    assert rows[2, 0] == pytest.approx(0.8)
    assert rows[3, 1] == 1.0
    assert rows[4, 1] == 0.0
    # A day later its weight has halved four times: shrunk towards 0, not a stale 0.8.
    assert rows[3, 0] == pytest.approx(0.8 / 16)


def test_future_items_never_change_past_rows() -> None:
    news = btc_news()
    closes = btc_bar_closes(int(news.ts_ms[0]), int(news.ts_ms[-1]))
    full = news_features(news, closes, HALF_LIFE)
    cut = int(news.ts_ms[len(news) // 2])
    early = NewsArrays(
        news.ts_ms[news.ts_ms < cut],
        news.sentiment[news.ts_ms < cut],
        news.projected[news.ts_ms < cut],
    )
    partial = news_features(early, closes, HALF_LIFE)
    upto = closes <= cut
    assert np.array_equal(full[upto], partial[upto])
    assert not np.array_equal(full[~upto], partial[~upto])


def test_batch_equals_streaming_on_real_btc_headlines() -> None:
    news = btc_news()
    assert len(news) > 250  # of 417 posts, 2025-10-19 .. 12-06
    closes = btc_bar_closes(int(news.ts_ms[0]) - 5 * HOUR_MS, int(news.ts_ms[-1]) + 48 * HOUR_MS)
    batch = news_features(news, closes, HALF_LIFE)
    live = NewsAccumulator(HALF_LIFE)
    rows, fed = [], 0
    for close in closes.tolist():
        arrived = int(np.searchsorted(news.ts_ms, close, side="right"))
        for i in range(fed, arrived):  # one item at a time, as they would come off the bus
            live.update(
                NewsArrays(
                    news.ts_ms[i : i + 1], news.sentiment[i : i + 1], news.projected[i : i + 1]
                )
            )
        fed = arrived
        rows.append(live.row_at(close))
    assert np.array_equal(batch, np.array(rows))
    assert batch[:, 1].max() > 10
    assert np.all(np.abs(batch[:, 0]) <= 1.0)
    before_first = closes <= news.ts_ms[0]
    assert before_first.sum() >= 4
    assert not batch[before_first].any()


def test_streaming_accepts_items_out_of_order_and_refuses_going_back() -> None:
    news = btc_news()
    closes = btc_bar_closes(int(news.ts_ms[50]), int(news.ts_ms[250]))
    live = NewsAccumulator(HALF_LIFE)
    shuffled = np.random.default_rng(3).permutation(len(news))
    live.update(
        NewsArrays(news.ts_ms[shuffled], news.sentiment[shuffled], news.projected[shuffled])
    )
    rows = np.array([live.row_at(c) for c in closes.tolist()])
    # Equal only when timestamps do not tie; ties keep arrival order, like the batch's stable sort.
    assert np.allclose(rows, news_features(news, closes, HALF_LIFE), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="closes before"):
        live.row_at(int(closes[0]))


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="half_life"):
        NewsAccumulator(0)
    with pytest.raises(ValueError, match="sentiment"):
        NewsArrays.build([1], [1.5], unit_vectors(1))
    with pytest.raises(ValueError, match="lengths"):
        NewsArrays.build([1, 2], [0.1], unit_vectors(1))
