"""News in: RSS 2.0 / Atom / JSON Feed polling and recorded-file replay, deduplicated,
tagged with symbols, scored for sentiment and embedded for the news features.

Build order (in data_core's ``__main__``)::

    seen = SeenStore(settings.news.db_path(settings.home))
    encoder = MiniLmEmbedder() if settings.news.embeddings else None
    enricher = NewsEnricher(build_sentiment(settings.news.sentiment_method, encoder), encoder)
    poller = NewsPoller(settings.news.sources, httpx.AsyncClient(timeout=...), seen,
                        enricher, sink, SystemClock())
"""

from __future__ import annotations

from data_core.errors import FeedError
from data_core.news.arrays import news_arrays
from data_core.news.embeddings import MiniLmEmbedder
from data_core.news.enrich import NewsEnricher
from data_core.news.entries import Clock, EnrichedNews, RawEntry, SystemClock
from data_core.news.identity import dedup_key, news_id
from data_core.news.poller import NewsPoller, NewsSink, PollResult, SourceStats
from data_core.news.replay import NewsReplay, read_news_file
from data_core.news.seen import SeenStore
from data_core.news.sentiment import SENTIMENT_METHODS, SentimentMethod, build_sentiment
from data_core.news.settings import NewsSection, NewsSource
from feature_spec.tagging import SymbolTagger

__all__ = [
    "SENTIMENT_METHODS",
    "Clock",
    "EnrichedNews",
    "FeedError",
    "MiniLmEmbedder",
    "NewsEnricher",
    "NewsPoller",
    "NewsReplay",
    "NewsSection",
    "NewsSink",
    "NewsSource",
    "PollResult",
    "RawEntry",
    "SeenStore",
    "SentimentMethod",
    "SourceStats",
    "SymbolTagger",
    "SystemClock",
    "build_sentiment",
    "dedup_key",
    "news_arrays",
    "news_id",
    "read_news_file",
]
