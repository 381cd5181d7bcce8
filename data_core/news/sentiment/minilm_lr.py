"""Logistic regression on all-MiniLM-L6-v2 title embeddings (``minilm_lr``).

The weights live in ``minilm_lr.npz`` next to this module (a few KB), written by the
repository's ``tools/train_news_sentiment.py --write-model`` (not installed); the file records
its training data and split. The score is ``P(positive) - P(negative)``, in [-1, 1].
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

DEFAULT_MODEL_PATH = Path(__file__).with_name("minilm_lr.npz")
CLASSES = ("negative", "neutral", "positive")


class TextEncoder(Protocol):
    """Turns texts into normalised 384-dim embeddings (`MiniLmEmbedder`)."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return ``(len(texts), 384)`` embeddings."""
        ...


class MiniLmLogReg:
    """Three-class logistic regression over title embeddings.

    Parameters
    ----------
    encoder
        Where embeddings come from when `score` is given texts.
    model_path
        The ``.npz`` with ``weights (384, 3)``, ``bias (3,)``, ``classes`` and ``meta`` (JSON).
    """

    name = "minilm_lr"

    def __init__(self, encoder: TextEncoder, model_path: Path = DEFAULT_MODEL_PATH) -> None:
        self._encoder = encoder
        with np.load(model_path, allow_pickle=False) as npz:
            self._weights = np.asarray(npz["weights"], dtype=np.float64)
            self._bias = np.asarray(npz["bias"], dtype=np.float64)
            classes = tuple(str(c) for c in npz["classes"])
            self.meta: dict[str, Any] = json.loads(str(npz["meta"]))
        if classes != CLASSES or self._weights.shape != (384, len(CLASSES)):
            raise ValueError(f"{model_path}: unexpected classes {classes} or weights shape")

    def probabilities(self, embeddings: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return ``(n, 3)`` class probabilities (negative, neutral, positive)."""
        logits = np.asarray(embeddings, dtype=np.float64) @ self._weights + self._bias
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        probs: npt.NDArray[np.float64] = odds / odds.sum(axis=1, keepdims=True)
        return probs

    def score_embeddings(self, embeddings: npt.ArrayLike) -> list[float]:
        """Return ``P(positive) - P(negative)`` per embedding."""
        probs = self.probabilities(np.asarray(embeddings).reshape(-1, 384))
        return [float(x) for x in np.clip(probs[:, 2] - probs[:, 0], -1.0, 1.0)]

    def score(self, texts: Sequence[str]) -> list[float]:
        """Embed the texts and score them."""
        return self.score_embeddings(self._encoder.encode(texts)) if texts else []

    def score_items(
        self,
        titles: Sequence[str],
        bodies: Sequence[str | None],
        title_embeddings: npt.NDArray[np.float32] | None = None,
    ) -> list[float]:
        """Score the titles, reusing their embeddings when given (bodies are not used)."""
        if title_embeddings is None:
            return self.score(titles)
        return self.score_embeddings(title_embeddings)
