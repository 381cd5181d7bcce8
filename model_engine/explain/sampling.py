"""Antithetic permutation Shapley over any partition of a window's cells (numpy, batched).

A game is given by ``owner (window, features)``: cell ``(t, j)`` belongs to player
``owner[t, j]``, so the players partition the window (one player per feature, per time step,
per (feature, block of steps), ...). A coalition ``S`` keeps its players' cells from the window
explained and takes every other cell from a background window ``b``;
``v(S) = mean_b f(x_S, b_{~S})``.

Each sampled order walks from the empty to the full coalition and is followed by its reverse.
A walk either averages every background at every coalition (``sources=None``), or draws all
its absent cells from one background (``sources[k]``); since Shapley values are linear in
``v``, both are unbiased for the same values, and with every background used equally often
the estimate is exactly efficient: ``base + sum(phi) == f(x)`` to rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
PredictFn = Callable[[FloatArray], FloatArray]
"""(m, window, features) float32 -> (m, classes) probabilities."""

CHUNK = 4096
"""Model windows per onnxruntime call (bounds the memory of the hybrid windows)."""


@dataclass(frozen=True)
class Walks:
    """Sampled orders of the players and where each walk takes its absent cells from.

    Attributes
    ----------
    orders
        ``(k, players)``; rows ``2i`` and ``2i + 1`` are an order and its reverse.
    sources
        ``(k,)`` background index of each walk, or None: every coalition averages all of them.
    """

    orders: IntArray
    sources: IntArray | None = None


@dataclass(frozen=True)
class ShapleyEstimate:
    """Sampled Shapley values of every class.

    Attributes
    ----------
    phi
        ``(players, classes)``.
    base, fx
        ``(classes,)``: ``v(empty)`` and ``v(all) = f(x)``.
    stderr
        ``(players, classes)`` standard error of `phi` from the spread of the antithetic pair
        means (within each background when the walks are stratified); NaN where a background
        (or the whole estimate) has a single pair.
    windows
        Model windows evaluated.
    """

    phi: F64
    base: F64
    fx: F64
    stderr: F64
    windows: int


def feature_players(window: int, features: int) -> IntArray:
    """Return the owner map of "one player per feature over the whole window"."""
    return np.broadcast_to(np.arange(features), (window, features)).astype(np.int64)


def step_players(window: int, features: int) -> IntArray:
    """Return the owner map of "one player per time step (a row, all its features)"."""
    return np.broadcast_to(np.arange(window)[:, None], (window, features)).astype(np.int64)


def antithetic_walks(players: int, pairs: int, rng: np.random.Generator) -> Walks:
    """Return `pairs` random orders, each followed by its reverse, averaging all backgrounds."""
    orders: list[IntArray] = []
    for _ in range(pairs):
        order = rng.permutation(players)
        orders += [order, order[::-1].copy()]
    return Walks(np.stack(orders))


def stratified_walks(
    players: int, backgrounds: int, pairs_per_background: int, rng: np.random.Generator
) -> Walks:
    """Return antithetic pairs of orders, `pairs_per_background` drawing on each background."""
    orders: list[IntArray] = []
    sources: list[int] = []
    for b in range(backgrounds):
        for _ in range(pairs_per_background):
            order = rng.permutation(players)
            orders += [order, order[::-1].copy()]
            sources += [b, b]
    return Walks(np.stack(orders), np.asarray(sources, dtype=np.int64))


def walk_masks(orders: IntArray) -> npt.NDArray[np.bool_]:
    """Return ``(k, players + 1, players)``: the coalition before each step of each walk."""
    k, n = orders.shape
    rank = np.empty_like(orders)
    rank[np.arange(k)[:, None], orders] = np.arange(n)
    return np.arange(n + 1)[None, :, None] > rank[:, None, :]


def walk_values(
    predict: PredictFn,
    x: FloatArray,
    background: FloatArray,
    owner: IntArray,
    walks: Walks,
    chunk: int = CHUNK,
) -> F64:
    """Return ``(k, players + 1, classes)``: ``v`` of every coalition along every walk."""
    masks = walk_masks(walks.orders)
    k, steps, _ = masks.shape
    if walks.sources is None:
        flat = masks.reshape(-1, masks.shape[-1])[:, owner]  # (k * steps, window, features)
        bg = len(background)
        per = max(1, chunk // bg)
        out = np.concatenate(
            [
                predict(_hybrid(x, background[None], flat[i : i + per, None]))
                for i in range(0, len(flat), per)
            ]
        ).astype(np.float64)
        return np.asarray(out.reshape(k, steps, bg, -1).mean(axis=2), dtype=np.float64)
    per = max(1, chunk // steps)
    parts = []
    for i in range(0, k, per):
        cells = masks[i : i + per][:, :, owner]  # (walks, steps, window, features)
        source = background[walks.sources[i : i + per]][:, None]
        parts.append(predict(_hybrid(x, source, cells)))
    return np.concatenate(parts).astype(np.float64).reshape(k, steps, -1)


def _hybrid(x: FloatArray, source: FloatArray, cells: npt.NDArray[np.bool_]) -> FloatArray:
    hybrid = np.where(cells, x, source)
    return hybrid.reshape(-1, *x.shape).astype(np.float32, copy=False)


def marginals(orders: IntArray, values: F64) -> F64:
    """Return ``(k, players, classes)``: each walk's marginal contribution of each player."""
    deltas = np.diff(values, axis=1)  # step-indexed
    out = np.empty_like(deltas)
    out[np.arange(len(orders))[:, None], orders] = deltas
    return out


def sampled_shapley(
    predict: PredictFn,
    x: FloatArray,
    background: FloatArray,
    owner: IntArray,
    walks: Walks,
    chunk: int = CHUNK,
) -> ShapleyEstimate:
    """Estimate the Shapley values of the players of `owner` along `walks`.

    Parameters
    ----------
    predict
        The batched model.
    x
        ``(window, features)``: the window explained.
    background
        ``(b, window, features)`` real windows.
    owner
        ``(window, features)`` player of each cell, ``0 .. players - 1`` (a partition).
    walks
        From `antithetic_walks` or `stratified_walks`.
    chunk
        Model windows per call.
    """
    values = walk_values(predict, x, background, owner, walks, chunk)
    per_walk = marginals(walks.orders, values)
    steps = values.shape[1]
    windows = len(walks.orders) * steps * (len(background) if walks.sources is None else 1)
    return ShapleyEstimate(
        phi=per_walk.mean(axis=0),
        base=values[:, 0].mean(axis=0),
        fx=values[:, -1].mean(axis=0),
        stderr=pair_stderr(per_walk, walks.sources),
        windows=windows,
    )


def pair_stderr(per_walk: F64, sources: IntArray | None) -> F64:
    """Return the standard error of ``per_walk.mean(0)`` from its antithetic pair means.

    Pairs with the same source form a stratum: ``var = sum_g (n_g / n)^2 s_g^2 / n_g``, so the
    spread between backgrounds (which stratification cancels) does not inflate it.
    """
    pairs = 0.5 * (per_walk[0::2] + per_walk[1::2])
    strata = np.zeros(len(pairs), dtype=np.int64) if sources is None else sources[0::2]
    var = np.zeros(pairs.shape[1:])
    for g in np.unique(strata):
        members = pairs[strata == g]
        if len(members) < 2:
            return np.full(pairs.shape[1:], np.nan)
        share = len(members) / len(pairs)
        var += share**2 * members.var(axis=0, ddof=1) / len(members)
    return np.asarray(np.sqrt(var), dtype=np.float64)
