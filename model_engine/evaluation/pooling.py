"""Pooled training: a fold's training rows joined with other symbols' rows of the same dates.

Each symbol keeps its own normalisation and flat band (fitted on its own training rows); the
pooled inputs stack the feature matrices so that every window stays inside one symbol, and
only the own symbol's validation and test rows are scored.
"""

from __future__ import annotations

import numpy as np

from model_engine.evaluation.data import Dataset
from model_engine.evaluation.folds import Fold
from model_engine.evaluation.models import FoldInputs


def pool_inputs(own: FoldInputs, others: list[FoldInputs]) -> FoldInputs:
    """Return `own` with the training rows of `others` added (their val and test rows unused).

    Raises
    ------
    ValueError
        If a matrix has another feature count than `own`'s.
    """
    features, labels, train = [own.features], [own.labels], [own.train]
    offset = own.features.shape[0]
    for other in others:
        if other.features.shape[1] != own.features.shape[1]:
            raise ValueError(
                f"pooled training needs the same features: {other.features.shape[1]} columns "
                f"against {own.features.shape[1]}"
            )
        features.append(other.features)
        labels.append(other.labels)
        train.append(other.train + offset)
        offset += other.features.shape[0]
    return FoldInputs(
        np.concatenate(features),
        np.concatenate(labels),
        np.concatenate(train),
        own.val,
        own.test,
    )


def check_peers(data: Dataset, peers: list[Dataset]) -> None:
    """Refuse peers whose features or label horizon differ from `data`'s.

    Raises
    ------
    ValueError
        Naming what differs.
    """
    for peer in peers:
        if peer.names != data.names:
            raise ValueError("pooled training needs every symbol to have the same feature columns")
        if peer.horizon != data.horizon:
            raise ValueError(
                f"pooled training needs one label horizon: {peer.horizon} against {data.horizon}"
            )


def same_year(folds: list[Fold], year: int) -> Fold | None:
    """Return the fold of `folds` tested in `year`, if any."""
    return next((fold for fold in folds if fold.year == year), None)


def fold_peers(fold: Fold, peers: list[tuple[Dataset, list[Fold]]]) -> list[tuple[Dataset, Fold]]:
    """Return each peer with its fold of `fold`'s year, where it has training rows."""
    return [
        (peer, match)
        for peer, folds in peers
        if (match := same_year(folds, fold.year)) is not None and match.train.size
    ]


__all__ = ["check_peers", "fold_peers", "pool_inputs", "same_year"]
