"""News features per bar: decayed sentiment, 24 h item count, projected embedding.

Pure numpy. Training (`news_features`, batch) and serving (`NewsAccumulator`, streaming) compute
every row with the same function over the same items in the same order, so they agree exactly.

For a bar closing at ``T`` only items published strictly before ``T`` count. With weights
``w_i = 0.5 ** ((T - t_i) / half_life)`` over items younger than the lookback:

- ``news_sentiment_decay`` = ``sum(w_i * s_i) / max(sum(w_i), 1)``: the decayed mean, shrunk
  towards 0 while less than one item's worth of recent weight exists (so stale news fades out);
- ``news_count_24h`` = number of items with ``T - 24h <= t_i < T``;
- ``news_emb_k`` = the same shrunk decayed mean of the item embeddings projected onto four fixed
  orthonormal directions (`project_embedding`).

No news is a normal state: every feature is 0.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

EMBEDDING_DIM = 384
"""Width of an all-MiniLM-L6-v2 sentence embedding."""
PROJECTION_DIM = 4
PROJECTION_SEED = 20240401
"""Seed of the fixed projection; changing it changes the features (bump the spec version)."""
DEFAULT_HALF_LIFE_SECS = 6 * 3600.0
COUNT_WINDOW_MS = 24 * 3_600_000
LOOKBACK_HALF_LIVES = 20
"""Items older than this many half-lives (or 24 h, if longer) weigh nothing (< 1e-6)."""
AGGREGATION = "shrunk-decayed-mean/1"
"""Names the formulas below; change it with them (it belongs in the spec's definition)."""

NEWS_FEATURE_NAMES: tuple[str, ...] = (
    "news_sentiment_decay",
    "news_count_24h",
    *(f"news_emb_{k}" for k in range(PROJECTION_DIM)),
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@lru_cache(maxsize=1)
def projection_matrix() -> FloatArray:
    """Return the fixed (384, 4) projection with orthonormal columns.

    Drawn with ``numpy.random.default_rng(PROJECTION_SEED).standard_normal`` and orthonormalised
    by modified Gram-Schmidt with ``math.fsum`` (no BLAS/LAPACK), so every machine builds the same
    bits.
    """
    raw = np.random.default_rng(PROJECTION_SEED).standard_normal((PROJECTION_DIM, EMBEDDING_DIM))
    basis: list[list[float]] = []
    for row in raw.tolist():
        vec = list(row)
        for done in basis:
            dot = math.fsum(a * b for a, b in zip(vec, done, strict=True))
            vec = [a - dot * b for a, b in zip(vec, done, strict=True)]
        norm = math.sqrt(math.fsum(a * a for a in vec))
        basis.append([a / norm for a in vec])
    matrix = np.array(basis, dtype=np.float64).T
    matrix.setflags(write=False)
    return matrix


def project_embedding(embedding: npt.ArrayLike) -> FloatArray:
    """Project 384-dim embeddings onto the four fixed directions.

    Parameters
    ----------
    embedding
        One embedding ``(384,)`` or a stack ``(n, 384)``.

    Returns
    -------
    numpy.ndarray
        ``(4,)`` or ``(n, 4)`` float64.
    """
    emb = np.asarray(embedding, dtype=np.float64)
    if emb.shape[-1] != EMBEDDING_DIM:
        raise ValueError(f"expected {EMBEDDING_DIM}-dim embeddings, got shape {emb.shape}")
    # Row by row with numpy's own reduction (not BLAS matmul, whose kernel and summation order
    # depend on the batch size), so one item projects to the same bits alone or in a batch.
    columns = [(emb * direction).sum(axis=-1) for direction in projection_matrix().T]
    projected: FloatArray = np.stack(columns, axis=-1)
    return projected


@dataclass(frozen=True)
class NewsArrays:
    """News items of one symbol as arrays, sorted by publication time.

    Attributes
    ----------
    ts_ms
        Publication times, UTC epoch milliseconds, non-decreasing, int64 ``(n,)``.
    sentiment
        Scores in [-1, 1], float64 ``(n,)``.
    projected
        Embeddings after `project_embedding`, float64 ``(n, 4)``.
    """

    ts_ms: IntArray
    sentiment: FloatArray
    projected: FloatArray

    @classmethod
    def build(
        cls, ts_ms: npt.ArrayLike, sentiment: npt.ArrayLike, embedding: npt.ArrayLike
    ) -> NewsArrays:
        """Validate, project the ``(n, 384)`` embeddings and sort stably by time."""
        ts = np.asarray(ts_ms, dtype=np.int64).reshape(-1)
        sent = np.asarray(sentiment, dtype=np.float64).reshape(-1)
        emb = np.asarray(embedding, dtype=np.float64).reshape(-1, EMBEDDING_DIM)
        if not len(ts) == len(sent) == len(emb):
            raise ValueError(f"lengths differ: {len(ts)} times, {len(sent)}, {len(emb)}")
        if not np.all(np.isfinite(sent)) or np.any(np.abs(sent) > 1.0):
            raise ValueError("sentiment must be finite and within [-1, 1]")
        order = np.argsort(ts, kind="stable")
        return cls(ts[order], sent[order], project_embedding(emb)[order])

    @classmethod
    def empty(cls) -> NewsArrays:
        """Return arrays holding no items."""
        return cls.build([], [], np.zeros((0, EMBEDDING_DIM)))

    def __len__(self) -> int:
        return len(self.ts_ms)


def lookback_ms(half_life_secs: float) -> int:
    """Return how far back an item can still count, in milliseconds."""
    return max(COUNT_WINDOW_MS, math.ceil(LOOKBACK_HALF_LIVES * half_life_secs * 1000.0))


def _row(
    ts: IntArray, sent: FloatArray, proj: FloatArray, bar_close_ms: int, half_life_secs: float
) -> FloatArray:
    """Compute one feature row from the items (already limited to the lookback, before T)."""
    row = np.zeros(len(NEWS_FEATURE_NAMES), dtype=np.float64)
    if len(ts) == 0:
        return row
    age_secs = (bar_close_ms - ts).astype(np.float64) / 1000.0
    weight = np.exp2(-age_secs / half_life_secs)
    denom = max(float(weight.sum()), 1.0)
    row[0] = float((weight * sent).sum()) / denom
    row[1] = float(np.count_nonzero(ts >= bar_close_ms - COUNT_WINDOW_MS))
    row[2:] = (weight[:, None] * proj).sum(axis=0) / denom
    return row


def _check_half_life(half_life_secs: float) -> None:
    if not half_life_secs > 0 or not math.isfinite(half_life_secs):
        raise ValueError(f"half_life_secs must be positive, got {half_life_secs}")


def news_features(
    items: NewsArrays,
    bar_close_ms: npt.ArrayLike,
    half_life_secs: float = DEFAULT_HALF_LIFE_SECS,
) -> FloatArray:
    """Compute the news features of every bar (batch).

    Parameters
    ----------
    items
        The symbol's news.
    bar_close_ms
        Close time of each bar, UTC epoch milliseconds ``(n,)``.
    half_life_secs
        Half-life of an item's weight.

    Returns
    -------
    numpy.ndarray
        ``(n, 6)`` float64 in the order of `NEWS_FEATURE_NAMES`; zeros where no news counts.
    """
    _check_half_life(half_life_secs)
    closes = np.asarray(bar_close_ms, dtype=np.int64).reshape(-1)
    out = np.zeros((len(closes), len(NEWS_FEATURE_NAMES)), dtype=np.float64)
    back = lookback_ms(half_life_secs)
    stops = np.searchsorted(items.ts_ms, closes, side="left")
    starts = np.searchsorted(items.ts_ms, closes - back, side="left")
    for i, (close, lo, hi) in enumerate(zip(closes.tolist(), starts, stops, strict=True)):
        if hi > lo:
            sl = slice(int(lo), int(hi))
            out[i] = _row(
                items.ts_ms[sl], items.sentiment[sl], items.projected[sl], close, half_life_secs
            )
    return out


class NewsAccumulator:
    """Streaming twin of `news_features`: add items as they arrive, ask for a bar's row.

    Parameters
    ----------
    half_life_secs
        Half-life of an item's weight; use the same value as in training.
    """

    def __init__(self, half_life_secs: float = DEFAULT_HALF_LIFE_SECS) -> None:
        _check_half_life(half_life_secs)
        self._half_life_secs = half_life_secs
        self._lookback_ms = lookback_ms(half_life_secs)
        self._ts: list[int] = []
        self._sent: list[float] = []
        self._proj: list[FloatArray] = []
        self._last_close_ms: int | None = None

    def __len__(self) -> int:
        return len(self._ts)

    def update(self, items: NewsArrays) -> None:
        """Add items (any order; ties keep arrival order, as the batch's stable sort does)."""
        for ts, sent, proj in zip(
            items.ts_ms.tolist(), items.sentiment.tolist(), items.projected, strict=True
        ):
            at = bisect.bisect_right(self._ts, ts)
            self._ts.insert(at, ts)
            self._sent.insert(at, sent)
            self._proj.insert(at, proj.copy())

    def row_at(self, bar_close_ms: int) -> FloatArray:
        """Return the ``(6,)`` feature row of the bar closing at `bar_close_ms`.

        Bars must be asked for in non-decreasing order of close time: items older than the
        lookback are dropped for good.
        """
        if self._last_close_ms is not None and bar_close_ms < self._last_close_ms:
            raise ValueError(f"bar {bar_close_ms} closes before {self._last_close_ms}")
        self._last_close_ms = bar_close_ms
        self._prune(bar_close_ms - self._lookback_ms)
        hi = bisect.bisect_left(self._ts, bar_close_ms)
        if hi == 0:
            return np.zeros(len(NEWS_FEATURE_NAMES), dtype=np.float64)
        ts = np.array(self._ts[:hi], dtype=np.int64)
        sent = np.array(self._sent[:hi], dtype=np.float64)
        proj = np.array(self._proj[:hi], dtype=np.float64).reshape(hi, PROJECTION_DIM)
        return _row(ts, sent, proj, bar_close_ms, self._half_life_secs)

    def _prune(self, oldest_ms: int) -> None:
        cut = bisect.bisect_left(self._ts, oldest_ms)
        if cut:
            del self._ts[:cut], self._sent[:cut], self._proj[:cut]
