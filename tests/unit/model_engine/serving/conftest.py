"""Fixtures: the tiny real artifact and real feature rows as frames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from feature_spec import DEFAULT_SPEC
from model_engine.explain.realdata import load_features
from signal_schema import FeatureFrame
from tests.unit.model_engine.explain.tiny import tiny_artifact

T0 = datetime(2024, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny explained artifact built from real candles."""
    return tiny_artifact(tmp_path_factory.mktemp("ntx_home"))


@pytest.fixture(scope="session")
def rows() -> np.ndarray:
    """The last 200 real feature rows of BTC/USDT 1h."""
    return load_features("BTC")[1][-200:]


def frame(symbol: str, bar: int, row: np.ndarray, close: str = "100.5") -> FeatureFrame:
    """Return the warm frame of `symbol` at bar `bar` after T0."""
    ts = T0 + timedelta(hours=bar)
    return FeatureFrame(
        ts_event=ts,
        ts_init=ts,
        venue="binance",
        symbol=symbol,
        timeframe="1h",
        spec_version=DEFAULT_SPEC.version,
        close=Decimal(close),
        names=DEFAULT_SPEC.names,
        values=tuple(float(v) for v in row),
        warm=True,
    )
