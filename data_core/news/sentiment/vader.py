"""VADER compound score (the one vaderSentiment adapter): a lexicon method, no model file."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
    SentimentIntensityAnalyzer,
)


class VaderSentiment:
    """Score texts with VADER's compound polarity, already in [-1, 1].

    A headline is scored on its title followed by its summary, when it has one.
    """

    name = "vader"

    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, texts: Sequence[str]) -> list[float]:
        """Return one compound score in [-1, 1] per text."""
        return [
            min(1.0, max(-1.0, float(self._analyzer.polarity_scores(text)["compound"])))
            for text in texts
        ]

    def score_items(
        self,
        titles: Sequence[str],
        bodies: Sequence[str | None],
        title_embeddings: npt.NDArray[np.float32] | None = None,
    ) -> list[float]:
        """Score each title joined with its body (embeddings are not used)."""
        return self.score([join_title_body(t, b) for t, b in zip(titles, bodies, strict=True)])


def join_title_body(title: str, body: str | None) -> str:
    """Return ``"<title>. <body>"``, or the title alone when there is no body."""
    if not body:
        return title
    return f"{title.rstrip()}{'' if title.rstrip().endswith(('.', '!', '?')) else '.'} {body}"
