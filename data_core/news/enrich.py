"""Raw entries into publishable `NewsItem` messages: id, symbols, sentiment, embedding."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from pydantic import ValidationError

from data_core.clock import ms_to_utc
from data_core.news.entries import EnrichedNews, RawEntry
from data_core.news.identity import news_id
from data_core.news.sentiment import SentimentMethod, TextEncoder
from feature_spec.tagging import SymbolTagger
from signal_schema import NewsItem

logger = logging.getLogger(__name__)

MAX_URL_CHARS = 2_000


class NewsEnricher:
    """Turn entries into items, in one batch per call (the embedder works best batched).

    Parameters
    ----------
    sentiment
        The scoring method; its name becomes `NewsItem.sentiment_method`.
    encoder
        Embeds titles for the news features; None to skip embeddings.
    tagger
        Finds the symbols an entry mentions.
    """

    def __init__(
        self,
        sentiment: SentimentMethod,
        encoder: TextEncoder | None = None,
        tagger: SymbolTagger | None = None,
    ) -> None:
        self._sentiment = sentiment
        self._encoder = encoder
        self._tagger = tagger or SymbolTagger()
        self.invalid = 0

    @property
    def method(self) -> str:
        """Name of the sentiment method."""
        return self._sentiment.name

    def enrich(self, entries: Sequence[RawEntry], now_ms: int) -> list[EnrichedNews]:
        """Return one `EnrichedNews` per valid entry, in input order.

        Parameters
        ----------
        entries
            Entries already deduplicated.
        now_ms
            Creation time (`ts_init`), UTC epoch milliseconds.
        """
        if not entries:
            return []
        titles = [entry.title for entry in entries]
        embeddings = None if self._encoder is None else self._encoder.encode(titles)
        scores = self._sentiment.score_items(titles, [e.body for e in entries], embeddings)
        enriched: list[EnrichedNews] = []
        for i, entry in enumerate(entries):
            item = self._item(entry, scores[i], now_ms)
            if item is not None:
                enriched.append(EnrichedNews(item, None if embeddings is None else embeddings[i]))
        return enriched

    def _item(self, entry: RawEntry, score: float, now_ms: int) -> NewsItem | None:
        url = entry.url if entry.url and len(entry.url) <= MAX_URL_CHARS else None
        try:
            return NewsItem(
                ts_event=ms_to_utc(entry.published_ms),
                ts_init=ms_to_utc(now_ms),
                news_id=news_id(entry.title, entry.url),
                source=entry.source,
                title=entry.title,
                body=entry.body,
                url=url,
                symbols=self._tagger.tag(entry.title, entry.body),
                sentiment=float(np.clip(score, -1.0, 1.0)),
                sentiment_method=self._sentiment.name,
            )
        except ValidationError as exc:
            self.invalid += 1
            logger.warning(
                "news entry dropped: invalid item",
                extra={"source": entry.source, "reason": "invalid_item", "detail": str(exc)},
            )
            return None
