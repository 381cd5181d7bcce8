"""A tiny real artifact (real BTC/USDT 1h candles, minutes budgets cut to seconds)."""

from __future__ import annotations

from pathlib import Path

from model_engine.explain.bootstrap import BuildConfig, build_artifact

TINY = BuildConfig(
    window=8,
    hidden=8,
    train_windows=400,
    epochs=1,
    explainer_windows=24,
    permutations=2,
    explainer_epochs=5,
)


def tiny_artifact(home: Path) -> Path:
    """Build the tiny artifact under `home` and return its folder."""
    return build_artifact(home, TINY)
