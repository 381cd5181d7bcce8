"""Fixtures: one tiny real artifact per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.model_engine.explain.tiny import tiny_artifact


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny explained artifact built from real candles."""
    return tiny_artifact(tmp_path_factory.mktemp("ntx_home"))
