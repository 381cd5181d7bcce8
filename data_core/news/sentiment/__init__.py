"""Sentiment of a headline in [-1, 1] by a named method, registered in `SENTIMENT_METHODS`.

``vader`` (default): VADER compound of title and summary; lexicon only. ``minilm_lr``: logistic
regression on the title's MiniLM embedding (needs the ``nlp`` extra). See
docs/decisions/0004-news-sentiment.md for how they compare.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from data_core.news.sentiment.minilm_lr import MiniLmLogReg, TextEncoder
from data_core.news.sentiment.vader import VaderSentiment

DEFAULT_METHOD = "vader"


class SentimentMethod(Protocol):
    """Scores headlines; `name` becomes `NewsItem.sentiment_method`."""

    @property
    def name(self) -> str:
        """The method's registered name."""
        ...

    def score_items(
        self,
        titles: Sequence[str],
        bodies: Sequence[str | None],
        title_embeddings: npt.NDArray[np.float32] | None,
    ) -> list[float]:
        """Return one score in [-1, 1] per headline (embeddings may be reused if given)."""
        ...


def _vader(encoder: TextEncoder | None) -> SentimentMethod:
    return VaderSentiment()


def _minilm_lr(encoder: TextEncoder | None) -> SentimentMethod:
    if encoder is None:
        raise ValueError("sentiment method 'minilm_lr' needs the embedder (embeddings on)")
    return MiniLmLogReg(encoder)


SENTIMENT_METHODS: dict[str, Callable[[TextEncoder | None], SentimentMethod]] = {
    "vader": _vader,
    "minilm_lr": _minilm_lr,
}


def build_sentiment(name: str, encoder: TextEncoder | None = None) -> SentimentMethod:
    """Return the method registered under `name`.

    Raises
    ------
    ValueError
        Unknown name, or a method that needs the embedder and got none.
    """
    try:
        factory = SENTIMENT_METHODS[name]
    except KeyError:
        known = ", ".join(sorted(SENTIMENT_METHODS))
        raise ValueError(f"unknown sentiment method {name!r} (known: {known})") from None
    return factory(encoder)


__all__ = [
    "DEFAULT_METHOD",
    "SENTIMENT_METHODS",
    "MiniLmLogReg",
    "SentimentMethod",
    "TextEncoder",
    "VaderSentiment",
    "build_sentiment",
]
