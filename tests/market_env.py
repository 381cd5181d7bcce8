"""The test session's market environment: the committed recording, a private NTX_HOME.

Loaded by pytest before any test (``-p tests.market_env`` in pyproject.toml): product code that
reads candles (`market_store.loader`) finds the recorded slices under ``tests/fixtures/data``
and never reaches a venue, and nothing a test writes lands in the user's ``~/.neurotradex``.
Spawned services get their environment from each test, never from these two variables.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from tests.data_paths import data_dir

_HOME: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """Point NTX_DATA_DIR at the recording and NTX_HOME at a fresh folder for the session."""
    _HOME.append(tempfile.mkdtemp(prefix="ntx-test-home-"))
    os.environ["NTX_HOME"] = _HOME[0]
    os.environ["NTX_DATA_DIR"] = str(data_dir())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's NTX_HOME."""
    for home in _HOME:
        shutil.rmtree(home, ignore_errors=True)
