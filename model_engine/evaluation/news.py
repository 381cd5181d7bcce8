"""News features for evaluation, read from the recorded ``NTX_DATA_DIR/news/*.csv.gz`` files.

model_engine does not import data_core, so this module reads the CSVs itself and mirrors the
service's choices: the replayed files (``cryptonews_plus``, ``cryptopanic``, ``reddit_posts``;
``curated_events`` is dated to the day only), symbol tags by the service's own tagger
(`feature_spec.tagging.SymbolTagger`: names, plus upper-case tickers for SOL and ADA), duplicates
dropped by URL (else title), VADER compound score of title + body. Embeddings are skipped:
the ``news_emb_*`` columns would be zeros, so only ``news_sentiment_decay`` and
``news_count_24h`` are used, aggregated by `feature_spec.news.news_features`. Bars without news
get zeros: a normal state (most of the history has none).
"""

from __future__ import annotations

import csv
import gzip
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from feature_spec.news import EMBEDDING_DIM, NewsArrays, news_features
from feature_spec.tagging import DEFAULT_QUOTE, SymbolTagger

NEWS_FILES = ("cryptonews_plus", "cryptopanic", "reddit_posts")
USED_NEWS_FEATURES = ("news_sentiment_decay", "news_count_24h")


def read_rows(news_dir: Path) -> list[tuple[int, str, str]]:
    """Return ``(published_ms, title, body)`` of every row, first of each URL (else title)."""
    seen: set[str] = set()
    rows: list[tuple[int, str, str]] = []
    for name in NEWS_FILES:
        path = news_dir / f"{name}.csv.gz"
        if not path.is_file():
            continue
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                title = " ".join((row.get("title") or "").split())
                body = " ".join((row.get("body") or "").split())
                key = (row.get("url") or "").strip() or title
                if not title or key in seen or not (row.get("timestamp") or "").isdigit():
                    continue
                seen.add(key)
                rows.append((int(row["timestamp"]), title, body))
    return rows


def read_items(news_dir: Path, symbol: str) -> list[tuple[int, str]]:
    """Return ``(published_ms, text)`` of the deduplicated rows tagged with `symbol`, by time.

    Parameters
    ----------
    news_dir
        Folder of the recorded ``*.csv.gz`` files.
    symbol
        ``BASE/QUOTE`` (a bare base means ``BASE/USDT``); a base the tagger does not know gets
        no news, as in serving.
    """
    base, _, quote = symbol.upper().partition("/")
    tagger = SymbolTagger(quote=quote or DEFAULT_QUOTE)
    symbol = f"{base}/{quote or DEFAULT_QUOTE}"
    items = [
        (ts, f"{title}\n{body}" if body else title)
        for ts, title, body in read_rows(news_dir)
        if tagger.mentions(symbol, title, body)
    ]
    items.sort(key=lambda item: item[0])
    return items


@lru_cache(maxsize=8)
def symbol_news(news_dir: Path, symbol: str) -> NewsArrays:
    """Return `symbol`'s tagged, VADER-scored news (zero embeddings), sorted by time."""
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    items = read_items(news_dir, symbol)
    analyzer = SentimentIntensityAnalyzer()
    scores = [
        min(1.0, max(-1.0, float(analyzer.polarity_scores(text)["compound"]))) for _, text in items
    ]
    ts = np.array([t for t, _ in items], dtype=np.int64)
    return NewsArrays.build(ts, np.array(scores), np.zeros((len(items), EMBEDDING_DIM)))


def news_columns(
    news_dir: Path, symbol: str, bar_close_ms: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Return ``(n, 2)`` news features (`USED_NEWS_FEATURES`) of each bar; zeros without news."""
    full = news_features(symbol_news(news_dir, symbol), bar_close_ms)
    columns: npt.NDArray[np.float64] = full[:, :2]
    return columns


__all__ = [
    "NEWS_FILES",
    "USED_NEWS_FEATURES",
    "news_columns",
    "read_items",
    "read_rows",
    "symbol_news",
]
