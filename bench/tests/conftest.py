"""The benchmarks' tests run under the test suite's rules: no read of ``../shared``.

`tests.shared_guard` refuses and reports any open under the full data folder, as for every test
under ``tests/``; the harnesses read the committed slices (``-p tests.market_env`` points
NTX_DATA_DIR at them). `artifact` is the explain tests' tiny real artifact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.model_engine.explain.tiny import tiny_artifact

pytest_plugins = ("tests.shared_guard",)


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny explained artifact built from real candles."""
    return tiny_artifact(tmp_path_factory.mktemp("ntx_home"))
